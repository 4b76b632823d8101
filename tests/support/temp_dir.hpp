// TempDir: a fresh folder under the system temp dir for one test, removed at its end.
// Shared by the tests that need real files (store databases).
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace smsgw::test_support {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("smsgw-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace smsgw::test_support
