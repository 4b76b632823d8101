// GET|POST /cgi-bin/sendsms: Kannel's sendsms on the API port (api_handler.hpp).
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "smsgw/http/api_handler.hpp"
#include "smsgw/http/kannel_sendsms.hpp"

namespace smsgw::http {

namespace {

ApiResponse kannel_response(SendsmsAnswer answer) {
  ApiResponse response;
  response.status = answer.status;
  response.body = std::move(answer.text);
  response.content_type = kSendsmsContentType;
  response.retry_after = answer.retry_after;
  // As Kannel's smsbox: an answer about one submission is never cached.
  response.headers.push_back({"Pragma", "no-cache"});
  response.headers.push_back({"Cache-Control", "no-cache"});
  return response;
}

bool is_form(std::string_view content_type) {
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  const auto media = content_type.substr(0, content_type.find(';'));
  std::string lower;
  for (char c : media) {
    if (c == ' ' || c == '\t') continue;
    lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return lower == kForm;
}

// "messages[2].to: no country code ..." of the gateway's batch -> "to 0151...: no ...".
Error for_receiver(Error error, const std::vector<std::string>& receivers) {
  const auto& message = error.message;
  if (message.rfind("messages[", 0) != 0) return error;
  const auto close = message.find("].");
  if (close == std::string::npos) return error;
  const auto index = static_cast<std::size_t>(std::strtoul(message.c_str() + 9, nullptr, 10));
  std::string rest = message.substr(close + 2);
  if (rest.rfind("to: ", 0) == 0 && index < receivers.size()) {
    rest = "to " + receivers[index] + ": " + rest.substr(4);
  }
  error.message = std::move(rest);
  return error;
}

}  // namespace

awaitable<ApiResponse> ApiHandler::sendsms(const ApiRequest& request, std::string_view query) {
  const bool post = request.method == "POST";
  std::vector<FormField> fields;
  if (auto parsed = parse_form(query, fields); !parsed) {
    co_return kannel_response({400, parsed.error().message + ", rejected", std::nullopt});
  }
  if (post && !request.body.empty()) {
    if (is_form(request.content_type)) {
      if (auto parsed = parse_form(request.body, fields); !parsed) {
        co_return kannel_response({400, parsed.error().message + ", rejected", std::nullopt});
      }
    } else {
      // Kannel's own POST: X-Kannel-* headers and the text as the body. Its parameters come
      // first, so they win over the query string's.
      std::vector<FormField> posted;
      if (auto refused = kannel_post_fields(request.content_type, request.body,
                                            request.kannel_headers, posted)) {
        co_return kannel_response(std::move(*refused));
      }
      posted.insert(posted.end(), fields.begin(), fields.end());
      fields = std::move(posted);
    }
  }

  const auto credentials = sendsms_credentials(fields);
  const auto caller = sendsms_auth_.identify(credentials.username, credentials.password);
  if (!caller || !caller->may(Scope::send)) {
    spdlog::warn("sendsms: authorization failed for username \"{}\"{}",
                 credentials.username.value_or("").substr(0, 40),
                 caller ? " (its [[client]] lacks the scope \"send\")" : "");
    co_return kannel_response(sendsms_unauthorized());
  }

  auto submission = parse_sendsms(fields, post);
  if (!submission) co_return kannel_response(submission.error());
  if (!submission->denied.empty()) {
    // Kannel drops them too (sendsms-chars); the others are sent.
    spdlog::info("sendsms: {} receiver(s) with characters other than \"{}\" dropped",
                 submission->denied.size(), kSendsmsChars);
  }
  std::optional<std::string> client;
  if (caller->client) client = caller->name;
  auto requests = sendsms_requests(*submission, client, std::chrono::system_clock::now());
  const std::size_t count = requests.size();
  auto reply = co_await gateway_.submit_batch(std::move(requests), std::nullopt);
  if (!reply) {
    co_return kannel_response(
        sendsms_answer_for(for_receiver(reply.error(), submission->receivers)));
  }
  if (reply->accepted.size() != count) {
    spdlog::error("sendsms: the gateway accepted {} messages of {}", reply->accepted.size(), count);
    co_return kannel_response({500, "Sending failed.", std::nullopt});
  }
  spdlog::debug("sendsms: {} accepted {} message(s), first {}", caller->name, count,
                reply->accepted.front().id);
  co_return kannel_response(sendsms_accepted());
}

}  // namespace smsgw::http
