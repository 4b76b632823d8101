#include "smsgw/gateway/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

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

}  // namespace

Result<void> configure_logging(const config::LogConfig& log) {
  const auto level = spdlog::level::from_str(log.level);
  if (level == spdlog::level::off && log.level != "off") {
    return make_error("config.invalid", "log.level: unknown level \"" + log.level + "\"");
  }
  auto logger = spdlog::stderr_color_mt("smsgw");
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  if (log.format == "json") {
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","logger":"%n","message":%*})");
  } else {
    formatter->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l [%n] %v");
  }
  logger->set_formatter(std::move(formatter));
  logger->set_level(level);
  spdlog::set_default_logger(logger);
  spdlog::set_level(level);
  return {};
}

}  // namespace smsgw::gateway
