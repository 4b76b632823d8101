#include "smsgw/gateway/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace smsgw::gateway {
namespace {

// %* : the log message as a JSON string literal (quotes included, escaped).
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const auto text = nlohmann::json(std::string(msg.payload.data(), msg.payload.size()))
                          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

// %J : the line's sd-daemon(3) priority prefix ("<4>" for a warning).
class JournalPriorityFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string_view prefix = journal_priority_prefix(msg.level);
    dest.append(prefix.data(), prefix.data() + prefix.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JournalPriorityFlag>();
  }
};

// One decimal number of JOURNAL_STREAM; false unless `text` is all digits.
bool parse_decimal(std::string_view text, unsigned long long& value) {
  if (text.empty()) return false;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

}  // namespace

std::string_view journal_priority_prefix(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::critical:
      return "<2>";
    case spdlog::level::err:
      return "<3>";
    case spdlog::level::warn:
      return "<4>";
    case spdlog::level::info:
      return "<6>";
    case spdlog::level::debug:
    case spdlog::level::trace:
      return "<7>";
    default:
      return "<6>";  // `off` never reaches a sink
  }
}

bool is_journal_stream(const char* journal_stream, int fd) {
  if (journal_stream == nullptr) return false;
  const std::string_view value(journal_stream);
  const auto colon = value.find(':');
  if (colon == std::string_view::npos) return false;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (!parse_decimal(value.substr(0, colon), device) ||
      !parse_decimal(value.substr(colon + 1), inode)) {
    return false;
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) return false;
  return static_cast<unsigned long long>(info.st_dev) == device &&
         static_cast<unsigned long long>(info.st_ino) == inode;
}

bool journal_stream_is_stderr() {
  return is_journal_stream(std::getenv("JOURNAL_STREAM"), STDERR_FILENO);
}

Result<void> configure_logging(const config::LogConfig& log) {
  const auto level = spdlog::level::from_str(log.level);
  if (level == spdlog::level::off && log.level != "off") {
    return make_error("config.invalid", "log.level: unknown level \"" + log.level + "\"");
  }
  spdlog::drop("smsgw");
  auto logger = spdlog::stderr_color_mt("smsgw");
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  const std::string prefix = journal_stream_is_stderr() ? "%J" : "";
  formatter->add_flag<JournalPriorityFlag>('J');
  if (log.format == "json") {
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        prefix + R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","logger":"%n","message":%*})");
  } else {
    formatter->set_pattern(prefix + "%Y-%m-%d %H:%M:%S.%e %-5l [%n] %v");
  }
  logger->set_formatter(std::move(formatter));
  logger->set_level(level);
  spdlog::set_default_logger(logger);
  spdlog::set_level(level);
  return {};
}

}  // namespace smsgw::gateway
