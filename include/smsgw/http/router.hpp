// The HTTP API's route table and a pure matcher over it.
//
// Contract:
// - routes() is the whole API (contract.md "HTTP API v1" plus the OpenAPI document); the
//   OpenAPI document lists exactly these (a test checks both directions).
// - match_route(method, path) finds the route for an exact path (no trailing slash, no
//   query string: split it off with split_target()). A path that no route has -> not_found
//   (404); a path some route has but not with this method -> method_not_allowed (405) with
//   `allow` listing the path's methods in table order ("GET, POST").
// - A "{id}" (or "{name}") pattern segment matches one non-empty path segment; it is
//   percent-decoded into `param` (a malformed escape or a decoded '/' is not_found).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "smsgw/http/bearer_auth.hpp"

namespace smsgw::http {

enum class RouteId {
  list_messages,
  submit_messages,
  get_message,
  cancel_message,
  list_modems,
  modem_ussd,
  modem_balance,
  balance_all,
  inbox,
  healthz,
  metrics,
  openapi,
  modem_pause,
  modem_resume,
  modem_reset,
  events,
  stats,
  info,     // GET /api/v1/info: who the caller is and what the gateway can encode
  page,     // GET /: the dashboard (web/index.html)
  asset,    // GET /assets/{name}: its files (web/assets/)
  sendsms,  // GET|POST /cgi-bin/sendsms: Kannel-compatible (kannel_sendsms.hpp)
};

struct Route {
  std::string_view method;   // "GET", "POST", "DELETE"
  std::string_view pattern;  // "/api/v1/messages/{id}", "/assets/{name}"
  RouteId id;
  bool open;    // answered without a bearer token even when tokens are configured
  Scope scope;  // what a caller needs (bearer_auth.hpp); none for open routes
};

std::span<const Route> routes() noexcept;

struct RouteMatch {
  enum class Outcome { found, not_found, method_not_allowed };
  Outcome outcome = Outcome::not_found;
  const Route* route = nullptr;  // set when found
  std::string param;             // the decoded {id} or {name} segment, when the pattern has one
  std::string allow;             // set when method_not_allowed
};

RouteMatch match_route(std::string_view method, std::string_view path);

struct Target {
  std::string_view path;
  std::string_view query;  // after '?', without it; empty when none
};

// "/a/b?x=1#frag" -> {"/a/b", "x=1"} (a fragment is never sent, but is dropped if present).
Target split_target(std::string_view target) noexcept;

// Decodes %XX escapes (and '+' as space when `plus_is_space`, as in query strings).
// Returns false on a malformed escape.
bool percent_decode(std::string_view text, std::string& out, bool plus_is_space);

}  // namespace smsgw::http
