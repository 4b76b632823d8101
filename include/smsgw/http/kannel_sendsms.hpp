// Kannel-compatible sendsms (GET|POST /cgi-bin/sendsms): the parameters of Kannel 1.4's
// smsbox sendsms interface to gateway submissions, and Kannel's answers (pure: no I/O).
//
// Contract (README "Kannel-compatible sendsms" lists every parameter):
// - Parameters come as a form: the query string of a GET, or of a POST together with an
//   application/x-www-form-urlencoded body (query first, then body). '+' is a space, a
//   name given twice counts the first time (Kannel's http_cgi_variable), unknown names are
//   ignored as Kannel ignores them.
// - Answers are Kannel's: status and a one-line text/html body, e.g. 202 "0: Accepted for
//   delivery", 403 "Authorization failed for sendsms", 400 "Missing receiver number,
//   rejected", 400 "<Field> field misformed, rejected". What smsgw cannot honour (udh,
//   coding=1, mwi, compress, pid, rpi=1, mclass 2/3) is a 400 naming the parameter and why.
// - `to`: receivers separated by white space ('+' in a query is a space), each made only of
//   Kannel's sendsms-chars "0123456789 +-"; others are denied (dropped, as Kannel does; all
//   denied: 400); duplicates count once; each receiver becomes its own message.
// - `text` is decoded from `charset` (iconv names; default UTF-8 for coding 0, UTF-16BE
//   for coding 2, as Kannel's user guide says) into UTF-8.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/common/result.hpp"
#include "smsgw/http/gateway_api.hpp"

namespace smsgw::http {

inline constexpr std::string_view kSendsmsPath = "/cgi-bin/sendsms";
// Kannel answers sendsms as text/html (smsbox's sendsms_reply_hdrs).
inline constexpr std::string_view kSendsmsContentType = "text/html";
// Kannel's default sendsms-chars: what a receiver may be made of.
inline constexpr std::string_view kSendsmsChars = "0123456789 +-";
// Most receivers one request may name (a gateway batch).
inline constexpr std::size_t kMaxSendsmsReceivers = 1000;

struct FormField {
  std::string name;
  std::string value;
};

// "a=1&b=x+y" appended to `fields` percent-decoded ('+' is a space). A malformed escape is
// an Error "invalid" naming the parameter.
Result<void> parse_form(std::string_view encoded, std::vector<FormField>& fields);

// The first value of `name`, or null.
const std::string* form_value(const std::vector<FormField>& fields, std::string_view name);

// One answer as Kannel's smsbox gives it.
struct SendsmsAnswer {
  unsigned status = 202;
  std::string text;
  std::optional<std::chrono::seconds> retry_after;  // 503 after a client's limit

  friend bool operator==(const SendsmsAnswer&, const SendsmsAnswer&) = default;
};

SendsmsAnswer sendsms_accepted();      // 202 "0: Accepted for delivery"
SendsmsAnswer sendsms_unauthorized();  // 403 "Authorization failed for sendsms"

// Kannel's own POST form: the parameters in X-Kannel-* headers (X-Kannel-DLR-Mask ->
// dlr-mask; X-Kannel-UDH in hex or URL-encoded), the body as `text` and the Content-Type's
// charset parameter as `charset`, appended to `fields` in that order. text/plain is text
// (coding 0 unless X-Kannel-Coding says otherwise), application/octet-stream Kannel's 8-bit
// (coding 1, so refused unless X-Kannel-Coding says 0 or 2). Other types: the answer
// (Kannel's 400 "Invalid content-type"; text/html, WML and XML bodies, which Kannel
// converts, are refused by name).
std::optional<SendsmsAnswer> kannel_post_fields(
    std::string_view content_type, std::string_view body,
    const std::vector<std::pair<std::string_view, std::string_view>>& headers,
    std::vector<FormField>& fields);

// username (or user), password (or pass); none when absent.
struct SendsmsCredentials {
  std::optional<std::string> username;
  std::optional<std::string> password;
};
SendsmsCredentials sendsms_credentials(const std::vector<FormField>& fields);

// A request that passed every check, ready to become one message per receiver.
struct SendsmsSubmission {
  std::vector<std::string> receivers;            // as given, in order, each once
  std::vector<std::string> denied;               // receivers with characters outside kSendsmsChars
  std::string text;                              // UTF-8, not empty
  std::string from;                              // kept in the origin; smsgw sends from the SIM
  int coding = 0;                                // 0 (7-bit) or 2 (UCS-2) as asked
  bool flash = false;                            // mclass=0
  std::int32_t priority = 0;                     // 0..3
  std::optional<std::chrono::minutes> validity;  // from now
  std::optional<std::chrono::minutes> deferred;  // from now
  std::uint32_t dlr_mask = 0;                    // 0..63; 0: none asked
  std::string dlr_url;                           // empty: none

  friend bool operator==(const SendsmsSubmission&, const SendsmsSubmission&) = default;
};

// Every check but the credentials, in Kannel's order (to, udh, receivers, fields, charset).
// The error is the answer to send.
Result<SendsmsSubmission, SendsmsAnswer> parse_sendsms(const std::vector<FormField>& fields,
                                                       bool post);

// One SubmitRequest per receiver: origin {protocol "sendsms", source_addr = from, dest_addr
// = the receiver as given, dlr_url, dlr_mask}; a status report is asked for when the mask
// asks for 1 or 2 (and a dlr-url is given); send_at = now + deferred; validity counts from
// `now` as Kannel's does (so from send_at it is validity - deferred).
std::vector<SubmitRequest> sendsms_requests(const SendsmsSubmission& submission,
                                            std::optional<std::string> client, TimePoint now);

// The answer to a gateway error: "validation" 400 with the gateway's reason, "rate_limited"
// and "unavailable" 503 "Temporal failure, try again later." (Retry-After for a limit),
// "forbidden" 403, anything else 500 "Sending failed.".
SendsmsAnswer sendsms_answer_for(const Error& error);

// `bytes` in `charset` (an iconv name, any case: "UTF-8", "ISO-8859-1", "latin1",
// "UTF-16BE", "UCS-2", "WINDOWS-1252"...) as UTF-8; an error when the name is unknown or
// the bytes are not valid in it.
Result<std::string> charset_to_utf8(std::string_view bytes, std::string_view charset);

}  // namespace smsgw::http
