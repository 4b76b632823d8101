#include "smsgw/http/errors.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <utility>

namespace smsgw::http {

namespace {

constexpr std::array<std::pair<std::string_view, unsigned>, 14> kStatusByCode{{
    {"invalid", 400},
    {"unauthorized", 401},
    {"forbidden", 403},
    {"not_found", 404},
    {"method_not_allowed", 405},
    {"conflict", 409},
    // A per-modem request for a modem of another node (gateway/node_registry.hpp).
    {"modem.on_other_node", 409},
    {"too_large", 413},
    {"unsupported_media_type", 415},
    {"validation", 422},
    {"rate_limited", 429},
    {"headers_too_large", 431},
    {"unavailable", 503},
    {"timeout", 504},
}};

bool is_field_path_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '[' || c == ']' || c == '-';
}

}  // namespace

unsigned status_for_error(std::string_view code) noexcept {
  for (const auto& [name, status] : kStatusByCode) {
    if (name == code) return status;
  }
  return 500;
}

std::string_view field_of_message(std::string_view message) noexcept {
  const auto colon = message.find(": ");
  if (colon == std::string_view::npos || colon == 0) return {};
  const auto field = message.substr(0, colon);
  for (char c : field) {
    if (!is_field_path_char(c)) return {};
  }
  return field;
}

std::string error_body(std::string_view code, std::string_view message, std::string_view field) {
  nlohmann::json error{{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return nlohmann::json{{"error", std::move(error)}}.dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace);
}

}  // namespace smsgw::http
