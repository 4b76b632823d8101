// A fresh folder under $TMPDIR (or /tmp) for one test; removed with everything in it when
// the object goes away, unless SMSGW_KEEP_TEST_DIRS is set in the environment (then its
// path is printed to stderr so a failing run can be inspected).
#pragma once

#include <filesystem>
#include <string>

namespace smsgw::harness {

class TempDir {
 public:
  // `prefix` starts the folder's name: "<prefix>-XXXXXX". Throws std::runtime_error when the
  // folder cannot be created.
  explicit TempDir(const std::string& prefix = "smsgw-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  // Keeps the folder after the test (prints its path when destroyed).
  void keep() noexcept { keep_ = true; }

 private:
  std::filesystem::path path_;
  bool keep_ = false;
};

// Reads a whole file; empty when it does not exist.
std::string read_file(const std::filesystem::path& path);
// Writes `text` to `path` (replacing it); throws std::runtime_error on failure.
void write_file(const std::filesystem::path& path, const std::string& text);

}  // namespace smsgw::harness
