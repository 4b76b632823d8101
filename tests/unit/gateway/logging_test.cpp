// Log lines carry sd-daemon(3) priority prefixes exactly when stderr is the journal.
#include "smsgw/gateway/logging.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace smsgw::gateway {
namespace {

std::string stream_id(int fd) {
  struct stat info {};
  EXPECT_EQ(::fstat(fd, &info), 0);
  return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino);
}

TEST(Logging, PriorityPrefixPerLevel) {
  EXPECT_EQ(journal_priority_prefix(spdlog::level::critical), "<2>");
  EXPECT_EQ(journal_priority_prefix(spdlog::level::err), "<3>");
  EXPECT_EQ(journal_priority_prefix(spdlog::level::warn), "<4>");
  EXPECT_EQ(journal_priority_prefix(spdlog::level::info), "<6>");
  EXPECT_EQ(journal_priority_prefix(spdlog::level::debug), "<7>");
  EXPECT_EQ(journal_priority_prefix(spdlog::level::trace), "<7>");
}

TEST(Logging, JournalStreamMatchesDeviceAndInodeOfTheDescriptor) {
  test_support::TempDir dir;
  const auto path = (dir.path() / "stream").string();
  const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY, 0600);
  ASSERT_GE(fd, 0);
  const auto other_path = (dir.path() / "other").string();
  const int other = ::open(other_path.c_str(), O_CREAT | O_WRONLY, 0600);
  ASSERT_GE(other, 0);

  const std::string id = stream_id(fd);
  EXPECT_TRUE(is_journal_stream(id.c_str(), fd));
  EXPECT_FALSE(is_journal_stream(id.c_str(), other));  // another inode
  EXPECT_FALSE(is_journal_stream(nullptr, fd));
  EXPECT_FALSE(is_journal_stream("", fd));
  EXPECT_FALSE(is_journal_stream(id.substr(0, id.find(':')).c_str(), fd));  // no inode
  EXPECT_FALSE(is_journal_stream((id + "x").c_str(), fd));
  EXPECT_FALSE(is_journal_stream((" " + id).c_str(), fd));
  EXPECT_FALSE(is_journal_stream((":" + id).c_str(), fd));
  ::close(other);
  ::close(fd);
  EXPECT_FALSE(is_journal_stream(id.c_str(), fd));  // closed: fstat fails
}

// stderr pointed at a file for one test; the logger and $JOURNAL_STREAM restored after.
class StderrToFile {
 public:
  explicit StderrToFile(const std::string& path) {
    saved_ = ::dup(STDERR_FILENO);
    const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
  }
  ~StderrToFile() {
    spdlog::drop("smsgw");
    spdlog::set_default_logger(std::make_shared<spdlog::logger>(
        "", std::make_shared<spdlog::sinks::stderr_color_sink_mt>()));
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    ::unsetenv("JOURNAL_STREAM");
  }
  StderrToFile(const StderrToFile&) = delete;
  StderrToFile& operator=(const StderrToFile&) = delete;

 private:
  int saved_ = -1;
};

std::string logged_lines(const std::string& path, const config::LogConfig& log, bool journal) {
  StderrToFile redirect(path);
  if (journal) {
    ::setenv("JOURNAL_STREAM", stream_id(STDERR_FILENO).c_str(), 1);
  } else {
    ::setenv("JOURNAL_STREAM", "1:1", 1);  // some other stream: not ours
  }
  EXPECT_TRUE(configure_logging(log));
  spdlog::critical("c");
  spdlog::error("e");
  spdlog::warn("w");
  spdlog::info("i");
  spdlog::debug("d");
  spdlog::trace("t");
  spdlog::default_logger()->flush();
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

TEST(Logging, EveryLineStartsWithItsPriorityWhenStderrIsTheJournal) {
  test_support::TempDir dir;
  const auto path = (dir.path() / "stderr").string();
  for (const std::string format : {"text", "json"}) {
    const auto lines = lines_of(logged_lines(path, {"trace", format}, true));
    const char* expected[] = {"<2>", "<3>", "<4>", "<6>", "<7>", "<7>"};
    ASSERT_EQ(lines.size(), 6u) << format;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      EXPECT_EQ(lines[i].substr(0, 3), expected[i]) << format << ": " << lines[i];
    }
    if (format == "json") {
      EXPECT_EQ(lines[0].substr(3, 9), "{\"time\":\"");
    }
  }
}

TEST(Logging, NoPrefixWhenStderrIsNotTheJournal) {
  test_support::TempDir dir;
  const auto path = (dir.path() / "stderr").string();
  for (const std::string format : {"text", "json"}) {
    const auto lines = lines_of(logged_lines(path, {"info", format}, false));
    ASSERT_EQ(lines.size(), 4u) << format;  // critical, error, warning, info
    for (const auto& line : lines) EXPECT_NE(line.front(), '<') << line;
    if (format == "json") {
      EXPECT_EQ(lines[0].front(), '{');
    }
  }
}

}  // namespace
}  // namespace smsgw::gateway
