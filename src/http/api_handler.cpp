#include "smsgw/http/api_handler.hpp"

#include <spdlog/spdlog.h>

#include <exception>

#include "smsgw/http/errors.hpp"
#include "smsgw/http/json.hpp"
#include "smsgw/http/openapi.hpp"
#include "smsgw/http/requests.hpp"
#include "smsgw/http/web_assets.hpp"

namespace smsgw::http {

namespace {

// RFC 6750 3: the challenge; "invalid_token" only when a token was presented.
constexpr std::string_view kChallengeMissing = "Bearer realm=\"smsgw\"";
constexpr std::string_view kChallengeInvalid = "Bearer realm=\"smsgw\", error=\"invalid_token\"";

// Longest Idempotency-Key accepted; keys are opaque printable ASCII (UUIDs in practice).
constexpr std::size_t kMaxIdempotencyKey = 255;

ApiResponse json_response(unsigned status, const nlohmann::json& body) {
  ApiResponse response;
  response.status = status;
  response.body = dump(body);
  return response;
}

// Percent-encodes everything outside RFC 3986 "unreserved" for a Location path segment.
void append_path_segment(std::string& out, std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : segment) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0f]);
    }
  }
}

Result<void> check_idempotency_key(std::string_view key) {
  if (key.size() > kMaxIdempotencyKey) {
    return Error{"invalid", "Idempotency-Key: longer than 255 characters"};
  }
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) {
      return Error{"invalid", "Idempotency-Key: may hold only printable ASCII without spaces"};
    }
  }
  return {};
}

// An API client sees only the messages it submitted; admin tokens and the local caller
// see all.
bool owns(const Caller& caller, const Message& message) {
  return !caller.client || message.client == caller.name;
}

// Another client's message is answered as if it did not exist.
ApiResponse not_yours(const std::string& id) {
  return error_response("not_found", "message " + id + " does not exist");
}

// GET / and GET /assets/{name}: the dashboard's embedded files.
bool is_page_route(RouteId route) { return route == RouteId::page || route == RouteId::asset; }

template <class T>
ApiResponse from_error(const Result<T>& result) {
  auto response = error_response(result.error().code, result.error().message);
  if (result.error().retry_after) response.retry_after = *result.error().retry_after;
  return response;
}

}  // namespace

ApiResponse error_response(std::string_view code, std::string_view message) {
  ApiResponse response;
  response.status = status_for_error(code);
  const auto field = response.status == 422 ? field_of_message(message) : std::string_view{};
  response.body = error_body(code, message, field);
  return response;
}

ApiHandler::ApiHandler(GatewayApi& gateway, const std::vector<std::string>& tokens)
    : gateway_(gateway), auth_(tokens) {}

ApiHandler::ApiHandler(GatewayApi& gateway, BearerAuth auth)
    : gateway_(gateway), auth_(std::move(auth)) {}

awaitable<ApiResponse> ApiHandler::handle(const ApiRequest& request) {
  const auto [path, query] = split_target(request.target);
  const auto match = match_route(request.method, path);
  if (match.outcome == RouteMatch::Outcome::not_found) {
    std::string shown(path.substr(0, 200));
    co_return error_response("not_found", "no such resource: " + shown);
  }
  if (match.outcome == RouteMatch::Outcome::method_not_allowed) {
    auto response =
        error_response("method_not_allowed", std::string(request.method.substr(0, 20)) +
                                                 " is not allowed here; use " + match.allow);
    response.allow = match.allow;
    co_return response;
  }
  // The event stream's token may come in the query (an EventSource cannot send headers).
  std::string_view authorization = request.authorization;
  std::string query_authorization;
  if (authorization.empty() && match.route->id == RouteId::events) {
    if (auto parsed = parse_event_stream_query(query); parsed && parsed->access_token) {
      query_authorization = "Bearer " + *parsed->access_token;
      authorization = query_authorization;
    }
  }
  auto caller = auth_.identify(authorization);
  if (!match.route->open && !caller) {
    auto response = error_response(
        "unauthorized", authorization.empty()
                            ? "this endpoint needs an Authorization: Bearer <token> header"
                            : "the bearer token is not valid");
    response.www_authenticate = authorization.empty() ? kChallengeMissing : kChallengeInvalid;
    co_return response;
  }
  if (!match.route->open && !caller->may(match.route->scope)) {
    co_return error_response("forbidden",
                             caller->name + " may not " + std::string(match.route->method) + " " +
                                 std::string(match.route->pattern) + ": that needs the scope \"" +
                                 std::string(scope_name(match.route->scope)) + "\"");
  }
  // Named, not a temporary in the co_await expression (GCC 12 destroys such temporaries
  // twice).
  Caller who = caller ? std::move(*caller) : Caller{};
  try {
    co_return co_await dispatch(request, match, query, std::move(who));
  } catch (const std::exception& e) {
    // The path only: a query may hold a token (?access_token= of the event stream).
    spdlog::error("http: {} {} failed with an exception: {}", request.method,
                  path.substr(0, 200), e.what());
  }
  co_return error_response("internal", "internal error; see the gateway's log");
}

awaitable<ApiResponse> ApiHandler::dispatch(const ApiRequest& request, const RouteMatch& match,
                                            std::string_view query, Caller caller) {
  const RouteId route = match.route->id;
  // Only the lists and the stream take query parameters; anywhere else one is a client's
  // mistake. The page's files ignore theirs (a cache-busting "?v=2" is a browser's habit, not
  // a mistake).
  const bool takes_query = route == RouteId::list_messages || route == RouteId::inbox ||
                           route == RouteId::events || route == RouteId::sendsms ||
                           is_page_route(route);
  if (!takes_query) {
    if (auto empty = parse_empty_query(query); !empty) co_return from_error(empty);
  }

  switch (route) {
    case RouteId::submit_messages:
      co_return co_await submit(request, std::move(caller));
    case RouteId::get_message: {
      auto message = co_await gateway_.get_message(match.param);
      if (!message) co_return from_error(message);
      if (!owns(caller, *message)) co_return not_yours(match.param);
      co_return json_response(200, json_of(*message, true));
    }
    case RouteId::cancel_message: {
      if (caller.client) {
        auto seen = co_await gateway_.get_message(match.param);
        if (!seen) co_return from_error(seen);
        if (!owns(caller, *seen)) co_return not_yours(match.param);
      }
      auto message = co_await gateway_.cancel_message(match.param);
      if (!message) co_return from_error(message);
      co_return json_response(200, json_of(*message, true));
    }
    case RouteId::list_modems: {
      auto modems = co_await gateway_.list_modems();
      if (!modems) co_return from_error(modems);
      co_return json_response(200, json_of(*modems));
    }
    case RouteId::modem_ussd: {
      if (auto type = check_json_content_type(request.content_type, request.body); !type) {
        co_return from_error(type);
      }
      auto body = parse_json(request.body);
      if (!body) co_return from_error(body);
      auto code = parse_ussd(*body);
      if (!code) co_return from_error(code);
      auto reply = co_await gateway_.ussd(match.param, std::move(code).value());
      if (!reply) co_return from_error(reply);
      co_return json_response(200, json_of(*reply));
    }
    case RouteId::modem_balance:
    case RouteId::balance_all: {
      if (auto type = check_json_content_type(request.content_type, request.body); !type) {
        co_return from_error(type);
      }
      if (auto body = parse_balance(request.body); !body) co_return from_error(body);
      std::optional<std::string> modem;
      if (route == RouteId::modem_balance) modem = match.param;
      auto balances = co_await gateway_.check_balance(std::move(modem));
      if (!balances) co_return from_error(balances);
      co_return json_response(200, json_of(*balances));
    }
    case RouteId::modem_pause:
    case RouteId::modem_resume:
    case RouteId::modem_reset:
      co_return co_await live_control(request, route, match.param, std::move(caller));
    case RouteId::healthz: {
      ApiResponse response;
      response.body = R"({"status":"ok"})";
      co_return response;
    }
    case RouteId::metrics: {
      auto snapshot = co_await gateway_.metrics();
      if (!snapshot) co_return from_error(snapshot);
      ApiResponse response;
      response.body = format_prometheus(*snapshot, counters_);
      response.content_type = kPrometheusContentType;
      co_return response;
    }
    case RouteId::openapi: {
      ApiResponse response;
      response.body = openapi_document();
      co_return response;
    }
    case RouteId::list_messages: {
      auto parsed = parse_message_query(query);
      if (!parsed) co_return from_error(parsed);
      if (caller.client) {
        if (parsed->client && *parsed->client != caller.name) {
          co_return error_response("forbidden",
                                   "client: " + caller.name + " may list only its own messages");
        }
        parsed->client = caller.name;  // a client sees its own messages only
      }
      auto page = co_await gateway_.list_messages(std::move(parsed).value());
      if (!page) co_return from_error(page);
      co_return json_response(200, json_of(*page));
    }
    case RouteId::events:
      co_return event_stream(request, query, std::move(caller));
    case RouteId::stats:
      co_return co_await stats();
    case RouteId::info: {
      auto info = co_await gateway_.info();
      if (!info) co_return from_error(info);
      co_return json_response(200, json_of(*info, caller, auth_.enabled()));
    }
    case RouteId::page:
    case RouteId::asset: {
      const bool page = route == RouteId::page;
      const auto* asset = find_web_asset(page ? "index.html" : "assets/" + match.param);
      if (asset == nullptr) {
        const std::string shown = page ? "/" : "/assets/" + match.param.substr(0, 200);
        co_return error_response("not_found", "no such resource: " + shown);
      }
      co_return asset_response(*asset, request.if_none_match);
    }
    case RouteId::sendsms:
      co_return co_await sendsms(request, query);
    case RouteId::inbox: {
      auto parsed = parse_inbox_query(query);
      if (!parsed) co_return from_error(parsed);
      auto page = co_await gateway_.inbox(std::move(parsed).value());
      if (!page) co_return from_error(page);
      co_return json_response(200, json_of(*page));
    }
  }
  co_return error_response("internal", "route without a handler");
}

awaitable<ApiResponse> ApiHandler::submit(const ApiRequest& request, Caller caller) {
  if (auto type = check_json_content_type(request.content_type, request.body); !type) {
    co_return from_error(type);
  }
  auto body = parse_json(request.body);
  if (!body) co_return from_error(body);
  auto submission = parse_submit(*body);
  if (!submission) co_return from_error(submission);

  std::optional<IdempotencyKey> idempotency;
  if (!request.idempotency_key.empty()) {
    if (auto key = check_idempotency_key(request.idempotency_key); !key) co_return from_error(key);
    // A client's keys are its own: two clients may use the same key. A space joins name and
    // key: neither may hold one, so no admin key can be taken for a client's.
    std::string scoped = caller.client ? caller.name + " " : std::string();
    scoped += request.idempotency_key;
    idempotency = IdempotencyKey{std::move(scoped), request_fingerprint(*body)};
  }
  if (caller.client) {
    for (auto& message : submission->messages) message.client = caller.name;
  }

  const bool batch = submission->batch;
  const std::size_t count = submission->messages.size();
  Result<SubmitReply> reply = Error{};
  if (batch) {
    reply = co_await gateway_.submit_batch(std::move(submission->messages), std::move(idempotency));
  } else {
    reply =
        co_await gateway_.submit(std::move(submission->messages.front()), std::move(idempotency));
  }
  if (!reply) co_return from_error(reply);
  if (reply->accepted.size() != count) {
    spdlog::error("http: the gateway accepted {} messages of a submission of {}",
                  reply->accepted.size(), count);
    co_return error_response("internal", "the gateway's answer does not match the submission");
  }

  ApiResponse response;
  response.status = 202;
  response.replayed = reply->replayed;
  if (batch) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& accepted : reply->accepted) list.push_back(json_of(accepted));
    response.body = dump(list);
  } else {
    const auto& accepted = reply->accepted.front();
    response.body = dump(json_of(accepted));
    response.location.reserve(17 + accepted.id.size());
    response.location = "/api/v1/messages/";
    append_path_segment(response.location, accepted.id);
  }
  co_return response;
}

}  // namespace smsgw::http
