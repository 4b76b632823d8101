// Fuzzes the HTTP API's request parsing and validation with one input used every way a
// client can send it: as a JSON body (submit, USSD, balance), as a query string, as a
// request target, and as an RFC 3339 time. Nothing may crash, every refusal must be a
// client error (4xx) with a message, and everything accepted must hold its invariants.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "fuzz_support.hpp"
#include "smsgw/http/errors.hpp"
#include "smsgw/http/requests.hpp"
#include "smsgw/http/rfc3339.hpp"
#include "smsgw/http/router.hpp"

namespace {

using smsgw::fuzz::require;
namespace http = smsgw::http;

void check_refusal(const smsgw::Error& error) {
  require(!error.code.empty() && !error.message.empty(), "a refusal has a code and a message");
  const unsigned status = http::status_for_error(error.code);
  require(status == 400 || status == 415 || status == 422, "a refusal is a 400, 415 or 422");
  const auto body = nlohmann::json::parse(
      http::error_body(error.code, error.message, http::field_of_message(error.message)), nullptr,
      false);
  require(!body.is_discarded(), "the error body is valid JSON");
}

void check_submission(const http::SubmitBody& submission) {
  require(!submission.messages.empty(), "a submission holds a message");
  require(submission.messages.size() <= http::kMaxBatchSize, "a batch is within its limit");
  require(submission.batch || submission.messages.size() == 1, "a single submission is one");
  for (const auto& message : submission.messages) {
    require(!message.to.empty() && !message.text.empty(), "to and text are present");
    if (message.validity) {
      require(
          message.validity->count() >= 1 && message.validity->count() <= http::kMaxValiditySeconds,
          "validity is within range");
    }
    if (message.modem) require(!message.modem->empty(), "a pinned modem is named");
  }
}

void fuzz_body(std::string_view input) {
  auto body = http::parse_json(input);
  if (!body) {
    check_refusal(body.error());
    return;
  }
  const auto fingerprint = http::request_fingerprint(*body);
  require(fingerprint.size() == 64, "the fingerprint is a hex SHA-256");
  const auto reparsed =
      http::parse_json(body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  require(reparsed.ok(), "a parsed body dumps to valid JSON");
  if (auto submission = http::parse_submit(*body)) {
    check_submission(*submission);
    require(http::request_fingerprint(*reparsed) == fingerprint,
            "the fingerprint ignores formatting");
  } else {
    check_refusal(submission.error());
  }
  if (auto code = http::parse_ussd(*body)) {
    require(!code->empty() && code->size() <= 160, "a USSD code is 1..160 characters");
  } else {
    check_refusal(code.error());
  }
}

void fuzz_query_and_target(std::string_view input) {
  if (auto query = http::parse_message_query(input)) {
    require(query->limit >= 1 && query->limit <= 1000, "limit is within range");
    if (query->before) require(!query->before->empty(), "a cursor is not empty");
  } else {
    check_refusal(query.error());
  }
  if (auto inbox = http::parse_inbox_query(input); !inbox) check_refusal(inbox.error());
  if (auto empty = http::parse_empty_query(input); !empty) check_refusal(empty.error());
  if (auto balance = http::parse_balance(input); !balance) check_refusal(balance.error());

  const auto target = http::split_target(input);
  for (std::string_view method : {"GET", "POST", "DELETE", "PUT"}) {
    const auto match = http::match_route(method, target.path);
    switch (match.outcome) {
      case http::RouteMatch::Outcome::found:
        require(match.route != nullptr && match.route->method == method, "a match has a route");
        break;
      case http::RouteMatch::Outcome::method_not_allowed:
        require(!match.allow.empty(), "a 405 lists the allowed methods");
        break;
      case http::RouteMatch::Outcome::not_found:
        require(match.route == nullptr, "a 404 has no route");
        break;
    }
  }
}

void fuzz_time(std::string_view input) {
  const auto time = http::parse_rfc3339(input);
  if (!time) return;
  const auto again = http::parse_rfc3339(http::format_rfc3339(*time));
  require(again.has_value(), "a formatted time parses");
  require(*again == std::chrono::floor<std::chrono::seconds>(*time),
          "format keeps the time to the second");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  fuzz_body(input);
  fuzz_query_and_target(input);
  fuzz_time(input);
  return 0;
}
