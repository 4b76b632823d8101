#include "smsgw/http/kannel_sendsms.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

#include "smsgw/http/requests.hpp"
#include "smsgw/http/router.hpp"

namespace smsgw::http {

namespace {

using Answer = SendsmsAnswer;

Answer bad_request(std::string text) { return Answer{400, std::move(text), std::nullopt}; }

// Kannel reads its numbers with sscanf("%d"): an empty value counts as absent. smsgw is
// stricter: anything but an optionally signed decimal (blanks around allowed) is the
// field's "misformed" answer rather than a silent default.
struct NumberField {
  std::string_view name;   // "dlr-mask"
  std::string_view label;  // "DLR-Mask": the word of Kannel's answer
};

Result<std::optional<int>, Answer> number(const std::vector<FormField>& fields,
                                          const NumberField& field, std::string_view alias = {}) {
  const std::string* raw = form_value(fields, field.name);
  if (raw == nullptr && !alias.empty()) raw = form_value(fields, alias);
  if (raw == nullptr) return std::optional<int>{};
  std::string_view text = *raw;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return std::optional<int>{};
  if (text.front() == '+') text.remove_prefix(1);
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    return bad_request(std::string(field.label) + " field misformed, rejected");
  }
  // -1 is Kannel's "undefined" (SMS_PARAM_UNDEFINED).
  if (value == -1) return std::optional<int>{};
  return std::optional<int>{value};
}

Answer misformed(std::string_view label, std::string_view why) {
  return bad_request(std::string(label) + " field misformed, rejected: " + std::string(why));
}

Answer not_supported(std::string_view name, std::string_view why) {
  return bad_request(std::string(name) + ": not supported: " + std::string(why));
}

// TS 23.040 9.2.3.24.1 / .8: a UDH holding only a concatenation IE (8-bit or 16-bit ref).
bool is_concatenation_only(std::string_view udh) {
  const auto octet = [&](std::size_t i) { return static_cast<unsigned char>(udh[i]); };
  return (udh.size() == 6 && octet(1) == 0x00 && octet(2) == 0x03) ||
         (udh.size() == 7 && octet(1) == 0x08 && octet(2) == 0x04);
}

// Kannel's octstr_split_words: runs of white space separate.
std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  const auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  while (i < text.size()) {
    while (i < text.size() && space(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !space(text[i])) ++i;
    if (i > start) words.emplace_back(text.substr(start, i - start));
  }
  return words;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) {
             return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
           };
           return lower(x) == lower(y);
         });
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// Kannel's ACCOUNT_MAX_LEN.
constexpr std::size_t kMaxAccountLength = 64;

// The parameters that change nothing smsgw does: checked as Kannel checks them, then
// ignored (README). The refusal, or none.
std::optional<Answer> check_ignored(const std::vector<FormField>& fields) {
  if (const auto* account = form_value(fields, "account")) {
    if (account->size() > kMaxAccountLength ||
        account->find_first_of("[]\n\r") != std::string::npos) {
      return bad_request("Account field misformed or too long, rejected");
    }
  }
  auto alt_dcs = number(fields, {"alt-dcs", "Alt-DCS"});
  if (!alt_dcs) return std::move(alt_dcs).error();
  if (*alt_dcs && (**alt_dcs < 0 || **alt_dcs > 1)) {
    return bad_request("Alt-DCS field misformed, rejected");
  }
  return std::nullopt;
}

// The parameters whose other values would change the message in a way smsgw cannot honour.
// The refusal, or none.
std::optional<Answer> check_refused(const std::vector<FormField>& fields) {
  auto mwi = number(fields, {"mwi", "MWI"});
  if (!mwi) return std::move(mwi).error();
  if (*mwi) {
    if (**mwi < 0 || **mwi > 7) return bad_request("MWI field misformed, rejected");
    return not_supported("mwi", "smsgw sends no message waiting indication");
  }
  auto compress = number(fields, {"compress", "Compress"});
  if (!compress) return std::move(compress).error();
  if (*compress) {
    if (**compress < 0 || **compress > 1) return bad_request("Compress field misformed, rejected");
    if (**compress == 1) return not_supported("compress", "smsgw sends uncompressed text");
  }
  auto pid = number(fields, {"pid", "PID"});
  if (!pid) return std::move(pid).error();
  if (*pid) {
    if (**pid < 0 || **pid > 255) return bad_request("PID field misformed, rejected");
    if (**pid != 0) return not_supported("pid", "smsgw sends TP-PID 0 (a normal message)");
  }
  auto rpi = number(fields, {"rpi", "RPI"});
  if (!rpi) return std::move(rpi).error();
  if (*rpi) {
    if (**rpi < 0 || **rpi > 2) return bad_request("RPI field misformed, rejected");
    if (**rpi == 1) return not_supported("rpi", "smsgw sets no reply path");
  }
  return std::nullopt;
}

}  // namespace

Result<void> parse_form(std::string_view encoded, std::vector<FormField>& fields) {
  while (!encoded.empty()) {
    const auto end = std::min(encoded.find('&'), encoded.size());
    const auto pair = encoded.substr(0, end);
    encoded.remove_prefix(std::min(end + 1, encoded.size()));
    if (pair.empty()) continue;
    const auto equals = std::min(pair.find('='), pair.size());
    FormField field;
    if (!percent_decode(pair.substr(0, equals), field.name, true)) {
      return Error{"invalid", "malformed percent-escape in a parameter name"};
    }
    const auto raw = equals < pair.size() ? pair.substr(equals + 1) : std::string_view{};
    if (!percent_decode(raw, field.value, true)) {
      return Error{"invalid", field.name.substr(0, 40) + ": malformed percent-escape"};
    }
    fields.push_back(std::move(field));
  }
  return {};
}

std::optional<SendsmsAnswer> kannel_post_fields(
    std::string_view content_type, std::string_view body,
    const std::vector<std::pair<std::string_view, std::string_view>>& headers,
    std::vector<FormField>& fields) {
  const auto semicolon = content_type.find(';');
  std::string media;
  for (char c : content_type.substr(0, semicolon)) {
    if (c != ' ' && c != '\t') media.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  }
  const bool octets = media == "application/octet-stream";
  if (media == "text/html" || media == "text/vnd.wap.wml" || media == "text/xml") {
    return bad_request("Invalid content-type: " + media +
                       " bodies are not supported by smsgw; send text/plain or a form");
  }
  if (media != "text/plain" && !octets) return bad_request("Invalid content-type");
  for (const auto& [name, value] : headers) {
    FormField field;
    for (char c : name.substr(9)) {  // after "X-Kannel-"
      field.name.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    }
    field.value = std::string(value);
    if (field.name == "udh") {
      std::string bytes;
      bool hex = value.size() % 2 == 0;
      for (std::size_t i = 0; hex && i < value.size(); i += 2) {
        unsigned byte = 0;
        const auto [end, error] = std::from_chars(value.data() + i, value.data() + i + 2, byte, 16);
        hex = error == std::errc{} && end == value.data() + i + 2;
        bytes.push_back(static_cast<char>(byte));
      }
      if (hex) {
        field.value = std::move(bytes);
      } else if (!percent_decode(value, field.value, false)) {
        return bad_request("UDH field misformed, rejected");
      }
    }
    fields.push_back(std::move(field));
  }
  fields.push_back(FormField{"text", std::string(body)});
  // The charset parameter of the Content-Type (RFC 9110 8.3.1), quotes removed.
  for (auto rest = semicolon == std::string_view::npos ? std::string_view{}
                                                       : content_type.substr(semicolon + 1);
       !rest.empty();) {
    auto parameter = rest.substr(0, rest.find(';'));
    rest.remove_prefix(std::min(rest.size(), parameter.size() + 1));
    while (!parameter.empty() && parameter.front() == ' ') parameter.remove_prefix(1);
    if (starts_with_ci(parameter, "charset=")) {
      auto value = parameter.substr(8);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      fields.push_back(FormField{"charset", std::string(value)});
    }
  }
  if (octets) fields.push_back(FormField{"coding", "1"});
  return std::nullopt;
}

const std::string* form_value(const std::vector<FormField>& fields, std::string_view name) {
  for (const auto& field : fields) {
    if (field.name == name) return &field.value;
  }
  return nullptr;
}

SendsmsAnswer sendsms_accepted() { return Answer{202, "0: Accepted for delivery", std::nullopt}; }

SendsmsAnswer sendsms_unauthorized() {
  return Answer{403, "Authorization failed for sendsms", std::nullopt};
}

SendsmsCredentials sendsms_credentials(const std::vector<FormField>& fields) {
  SendsmsCredentials credentials;
  const std::string* user = form_value(fields, "username");
  if (user == nullptr) user = form_value(fields, "user");
  const std::string* pass = form_value(fields, "password");
  if (pass == nullptr) pass = form_value(fields, "pass");
  if (user != nullptr) credentials.username = *user;
  if (pass != nullptr) credentials.password = *pass;
  return credentials;
}

Result<SendsmsSubmission, SendsmsAnswer> parse_sendsms(const std::vector<FormField>& fields,
                                                       bool post) {
  SendsmsSubmission out;
  const std::string* to = form_value(fields, "to");
  if (to == nullptr) {
    return bad_request(post ? "Missing receiver(s) number(s), rejected"
                            : "Missing receiver number, rejected");
  }
  if (to->empty()) return bad_request("Empty receiver number not allowed, rejected");

  if (const std::string* udh = form_value(fields, "udh"); udh != nullptr && !udh->empty()) {
    if (udh->size() != static_cast<unsigned char>((*udh)[0]) + 1u) {
      return bad_request("UDH field misformed, rejected");
    }
    return not_supported("udh", is_concatenation_only(*udh)
                                    ? "let smsgw split long messages: send the whole text "
                                      "in one request"
                                    : "let smsgw split long messages; other headers "
                                      "(ports, indications) cannot be sent");
  }

  for (auto& receiver : split_words(*to)) {
    const bool clean = receiver.find_first_not_of(kSendsmsChars) == std::string::npos;
    auto& list = clean ? out.receivers : out.denied;
    if (std::find(list.begin(), list.end(), receiver) == list.end()) {
      list.push_back(std::move(receiver));
    }
  }
  if (out.receivers.empty()) {
    return bad_request("Number(s) has/have been denied by white- and/or black-lists.");
  }
  if (out.receivers.size() > kMaxSendsmsReceivers) {
    return bad_request("to: more than " + std::to_string(kMaxSendsmsReceivers) +
                       " receivers in one request, rejected");
  }
  if (const std::string* from = form_value(fields, "from")) out.from = *from;

  if (auto ignored = check_ignored(fields)) return *ignored;

  const std::string* dlr_url = form_value(fields, "dlr-url");
  if (dlr_url == nullptr) dlr_url = form_value(fields, "dlrurl");
  if (dlr_url != nullptr && !dlr_url->empty()) {
    if (!starts_with_ci(*dlr_url, "http://") && !starts_with_ci(*dlr_url, "https://")) {
      return bad_request("DLR-URL field misformed, rejected");
    }
    if (dlr_url->size() > kMaxCallbackUrlLength) {
      return misformed("DLR-URL",
                       "longer than " + std::to_string(kMaxCallbackUrlLength) + " bytes");
    }
    out.dlr_url = *dlr_url;
  }
  auto mask = number(fields, {"dlr-mask", "DLR-Mask"}, "dlrmask");
  if (!mask) return std::move(mask).error();
  if (*mask && (**mask < 0 || **mask > 63))
    return bad_request("DLR-Mask field misformed, rejected");
  out.dlr_mask = static_cast<std::uint32_t>(mask->value_or(0));

  auto mclass = number(fields, {"mclass", "MClass"});
  if (!mclass) return std::move(mclass).error();
  if (*mclass) {
    if (**mclass < 0 || **mclass > 3) return bad_request("MClass field misformed, rejected");
    if (**mclass >= 2) {
      return not_supported("mclass", "class " + std::to_string(**mclass) +
                                         " (SIM or SIM toolkit) cannot be sent; use mclass=0 "
                                         "(flash) or none");
    }
    out.flash = **mclass == 0;
  }
  if (auto refused = check_refused(fields)) return *refused;

  auto coding = number(fields, {"coding", "Coding"});
  if (!coding) return std::move(coding).error();
  if (*coding) {
    if (**coding < 0 || **coding > 2) return bad_request("Coding field misformed, rejected");
    if (**coding == 1) {
      return not_supported("coding",
                           "coding=1 (8-bit binary) cannot be sent; smsgw sends text "
                           "(coding 0 or 2)");
    }
    out.coding = **coding;
  }

  auto validity = number(fields, {"validity", "Validity"});
  if (!validity) return std::move(validity).error();
  auto deferred = number(fields, {"deferred", "Deferred"});
  if (!deferred) return std::move(deferred).error();
  constexpr int kMaxMinutes = static_cast<int>(kMaxValiditySeconds / 60);
  if (*validity && (**validity < 1 || **validity > kMaxMinutes)) {
    return misformed("Validity",
                     "must be 1 to " + std::to_string(kMaxMinutes) + " minutes (63 weeks)");
  }
  if (*deferred && **deferred < 0) return bad_request("Deferred field misformed, rejected");
  if (*validity && *deferred && **deferred >= **validity) {
    return misformed("Validity", "the message would expire (validity " +
                                     std::to_string(**validity) + " minutes) before its deferred " +
                                     "time (" + std::to_string(**deferred) + " minutes)");
  }
  if (*validity) out.validity = std::chrono::minutes(**validity);
  if (*deferred && **deferred > 0) out.deferred = std::chrono::minutes(**deferred);

  auto priority = number(fields, {"priority", "Priority"});
  if (!priority) return std::move(priority).error();
  if (*priority && (**priority < 0 || **priority > 3)) {
    return bad_request("Priority field misformed, rejected");
  }
  out.priority = priority->value_or(0);

  const std::string* text = form_value(fields, "text");
  const std::string* charset = form_value(fields, "charset");
  std::string_view charset_name = out.coding == 2 ? "UTF-16BE" : "UTF-8";
  if (charset != nullptr && !charset->empty()) charset_name = *charset;
  if (text != nullptr) {
    auto decoded = charset_to_utf8(*text, charset_name);
    if (!decoded) {
      return bad_request("Charset or body misformed, rejected: " + decoded.error().message);
    }
    out.text = std::move(decoded).value();
  }
  if (out.text.empty()) {
    return bad_request("text: missing or empty, rejected: smsgw sends no empty messages");
  }
  return out;
}

std::vector<SubmitRequest> sendsms_requests(const SendsmsSubmission& submission,
                                            std::optional<std::string> client, TimePoint now) {
  std::vector<SubmitRequest> requests;
  requests.reserve(submission.receivers.size());
  const bool wants_report = !submission.dlr_url.empty() && (submission.dlr_mask & 3u) != 0;
  for (const auto& receiver : submission.receivers) {
    SubmitRequest request;
    request.to = receiver;
    request.text = submission.text;
    request.priority = submission.priority;
    if (submission.deferred) request.send_at = now + *submission.deferred;
    if (submission.validity) {
      request.validity =
          *submission.validity - submission.deferred.value_or(std::chrono::minutes{});
    }
    request.flash = submission.flash;
    if (wants_report) request.status_report = true;
    request.client = client;
    MessageOrigin origin;
    origin.protocol = "sendsms";
    origin.source_addr = submission.from;
    origin.dest_addr = receiver;
    origin.dlr_url = submission.dlr_url;
    origin.dlr_mask = submission.dlr_mask;
    request.origin = std::move(origin);
    requests.push_back(std::move(request));
  }
  return requests;
}

SendsmsAnswer sendsms_answer_for(const Error& error) {
  if (error.code == "validation") {
    // "messages[2].to: ..." of a batch: the field path says which receiver.
    return bad_request(error.message + ", rejected");
  }
  if (error.code == "rate_limited" || error.code == "unavailable") {
    return Answer{503, "Temporal failure, try again later.", error.retry_after};
  }
  if (error.code == "forbidden")
    return Answer{403, "Not routable. Do not try again.", std::nullopt};
  return Answer{500, "Sending failed.", std::nullopt};
}

Result<std::string> charset_to_utf8(std::string_view bytes, std::string_view charset) {
  std::string name(charset);
  if (iequals(name, "UCS-2") || iequals(name, "UCS2")) name = "UTF-16BE";  // big-endian, as SMS
  if (iequals(name, "latin1")) name = "ISO-8859-1";
  const iconv_t converter = iconv_open("UTF-8", name.c_str());
  if (converter == reinterpret_cast<iconv_t>(-1)) {
    return Error{"invalid", "unknown charset \"" + std::string(charset.substr(0, 40)) + "\""};
  }
  std::string out(bytes.size() * 4 + 4, '\0');
  std::string in(bytes);
  char* in_ptr = in.data();
  std::size_t in_left = in.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  const std::size_t converted = iconv(converter, &in_ptr, &in_left, &out_ptr, &out_left);
  const int failure = errno;
  iconv_close(converter);
  if (converted == static_cast<std::size_t>(-1)) {
    return Error{"invalid", "text is not valid " + name + " at byte " +
                                std::to_string(in.size() - in_left) +
                                (failure == EINVAL ? " (incomplete sequence)" : "")};
  }
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace smsgw::http
