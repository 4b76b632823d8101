#include "smsgw/http/router.hpp"

#include <array>

namespace smsgw::http {

namespace {

// The API, one row per method and path. `open` routes skip bearer authentication:
// liveness probes, the API description and the dashboard's files reveal nothing about
// messages or SIMs (the page asks for a token before it reads any). `scope` is what a
// [[client]] needs for the route (admin may do everything; live control needs it; none:
// any authenticated caller). /cgi-bin/sendsms is open to the bearer check because it
// authenticates by Kannel's username/password instead (sendsms_auth.hpp).
constexpr std::array<Route, 22> kRoutes{{
    {"GET", "/api/v1/messages", RouteId::list_messages, false, Scope::read},
    {"POST", "/api/v1/messages", RouteId::submit_messages, false, Scope::send},
    {"GET", "/api/v1/messages/{id}", RouteId::get_message, false, Scope::read},
    {"DELETE", "/api/v1/messages/{id}", RouteId::cancel_message, false, Scope::send},
    {"GET", "/api/v1/modems", RouteId::list_modems, false, Scope::modems},
    {"POST", "/api/v1/modems/{id}/ussd", RouteId::modem_ussd, false, Scope::modems},
    {"POST", "/api/v1/modems/{id}/balance", RouteId::modem_balance, false, Scope::modems},
    {"POST", "/api/v1/modems/{id}/pause", RouteId::modem_pause, false, Scope::admin},
    {"POST", "/api/v1/modems/{id}/resume", RouteId::modem_resume, false, Scope::admin},
    {"POST", "/api/v1/modems/{id}/reset", RouteId::modem_reset, false, Scope::admin},
    {"POST", "/api/v1/balance", RouteId::balance_all, false, Scope::modems},
    {"GET", "/api/v1/inbox", RouteId::inbox, false, Scope::read},
    {"GET", "/api/v1/events", RouteId::events, false, Scope::none},
    {"GET", "/api/v1/stats", RouteId::stats, false, Scope::read},
    {"GET", "/api/v1/info", RouteId::info, false, Scope::none},
    {"GET", "/api/v1/openapi.json", RouteId::openapi, true, Scope::none},
    {"GET", "/healthz", RouteId::healthz, true, Scope::none},
    {"GET", "/metrics", RouteId::metrics, false, Scope::modems},
    {"GET", "/", RouteId::page, true, Scope::none},
    {"GET", "/assets/{name}", RouteId::asset, true, Scope::none},
    {"GET", "/cgi-bin/sendsms", RouteId::sendsms, true, Scope::send},
    {"POST", "/cgi-bin/sendsms", RouteId::sendsms, true, Scope::send},
}};

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Matches `path` against `pattern` segment by segment; on success `raw_param` is the
// segment under "{id}" or "{name}" (still percent-encoded).
bool path_matches(std::string_view pattern, std::string_view path, std::string_view& raw_param) {
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern.front() != '/' || path.front() != '/') {
      return false;
    }
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const auto pattern_end = std::min(pattern.find('/'), pattern.size());
    const auto path_end = std::min(path.find('/'), path.size());
    const auto pattern_segment = pattern.substr(0, pattern_end);
    const auto path_segment = path.substr(0, path_end);
    if (is_param(pattern_segment)) {
      if (path_segment.empty()) return false;
      raw_param = path_segment;
    } else if (pattern_segment != path_segment) {
      return false;
    }
    pattern.remove_prefix(pattern_end);
    path.remove_prefix(path_end);
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::span<const Route> routes() noexcept { return kRoutes; }

RouteMatch match_route(std::string_view method, std::string_view path) {
  RouteMatch match;
  for (const auto& route : kRoutes) {
    std::string_view raw_param;
    if (!path_matches(route.pattern, path, raw_param)) continue;
    if (route.method != method) {
      if (!match.allow.empty()) match.allow += ", ";
      match.allow += route.method;
      continue;
    }
    if (!raw_param.empty()) {
      if (!percent_decode(raw_param, match.param, false) ||
          match.param.find('/') != std::string::npos) {
        return RouteMatch{};
      }
    }
    match.outcome = RouteMatch::Outcome::found;
    match.route = &route;
    match.allow.clear();
    return match;
  }
  if (!match.allow.empty()) match.outcome = RouteMatch::Outcome::method_not_allowed;
  return match;
}

Target split_target(std::string_view target) noexcept {
  if (const auto hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  const auto question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

bool percent_decode(std::string_view text, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return false;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

}  // namespace smsgw::http
