#include "smsgw/http/requests.hpp"

#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <limits>

#include "smsgw/http/rfc3339.hpp"
#include "smsgw/http/router.hpp"
#include "smsgw/http/webhook.hpp"

namespace smsgw::http {

namespace {

using json = nlohmann::json;

Error validation(std::string_view prefix, std::string_view field, std::string_view reason) {
  std::string message;
  message.reserve(prefix.size() + field.size() + reason.size() + 2);
  message.append(prefix).append(field).append(": ").append(reason);
  return Error{"validation", std::move(message)};
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A SAX handler that builds the DOM like nlohmann's own parser, but records where and why
// parsing failed (for the 400 message) and refuses nesting deeper than kMaxJsonDepth.
class BoundedDomParser {
 public:
  explicit BoundedDomParser(json& root) : dom_(root, false) {}

  bool null() { return dom_.null(); }
  bool boolean(bool value) { return dom_.boolean(value); }
  bool number_integer(json::number_integer_t value) { return dom_.number_integer(value); }
  bool number_unsigned(json::number_unsigned_t value) { return dom_.number_unsigned(value); }
  bool number_float(json::number_float_t value, const json::string_t& text) {
    return dom_.number_float(value, text);
  }
  bool string(json::string_t& value) { return dom_.string(value); }
  bool binary(json::binary_t& value) { return dom_.binary(value); }
  bool key(json::string_t& value) { return dom_.key(value); }
  bool start_object(std::size_t size) { return enter() && dom_.start_object(size); }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t size) { return enter() && dom_.start_array(size); }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const Exception& exception) {
    position_ = position;
    reason_ = exception.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
    if (const auto colon = reason_.find(": "); colon != std::string::npos) {
      reason_.erase(0, colon + 2);
    }
    return false;
  }

  [[nodiscard]] std::size_t position() const { return position_; }
  [[nodiscard]] const std::string& reason() const { return reason_; }

 private:
  bool enter() {
    if (++depth_ > kMaxJsonDepth) {
      reason_ = "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      return false;
    }
    return true;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::size_t depth_ = 0;
  std::size_t position_ = 0;
  std::string reason_;
};

const json* find_field(const json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::string> required_string(const json& object, std::string_view prefix,
                                    std::string_view name, std::size_t max_length) {
  const json* value = find_field(object, name);
  if (value == nullptr) return validation(prefix, name, "missing");
  if (!value->is_string()) return validation(prefix, name, "must be a string");
  const auto& text = value->get_ref<const std::string&>();
  if (text.empty()) return validation(prefix, name, "must not be empty");
  if (text.size() > max_length) {
    return validation(prefix, name, "longer than " + std::to_string(max_length) + " bytes");
  }
  return text;
}

Result<std::optional<std::string>> optional_string(const json& object, std::string_view prefix,
                                                   std::string_view name) {
  const json* value = find_field(object, name);
  if (value == nullptr) return std::optional<std::string>{};
  if (!value->is_string()) return validation(prefix, name, "must be a string");
  const auto& text = value->get_ref<const std::string&>();
  if (text.empty()) return validation(prefix, name, "must not be empty");
  return std::optional<std::string>{text};
}

Result<std::optional<std::int64_t>> optional_integer(const json& object, std::string_view prefix,
                                                     std::string_view name, std::int64_t min,
                                                     std::int64_t max) {
  const json* value = find_field(object, name);
  if (value == nullptr) return std::optional<std::int64_t>{};
  if (!value->is_number_integer()) return validation(prefix, name, "must be an integer");
  bool in_range = false;
  if (value->is_number_unsigned()) {  // nlohmann keeps every non-negative integer unsigned
    const auto number = value->get<std::uint64_t>();
    in_range = number <= static_cast<std::uint64_t>(max) &&
               (min <= 0 || number >= static_cast<std::uint64_t>(min));
  } else {
    const auto number = value->get<std::int64_t>();
    in_range = number >= min && number <= max;
  }
  if (!in_range) {
    return validation(prefix, name,
                      "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return std::optional<std::int64_t>{value->get<std::int64_t>()};
}

Result<std::optional<bool>> optional_bool(const json& object, std::string_view prefix,
                                          std::string_view name) {
  const json* value = find_field(object, name);
  if (value == nullptr) return std::optional<bool>{};
  if (!value->is_boolean()) return validation(prefix, name, "must be true or false");
  return std::optional<bool>{value->get<bool>()};
}

constexpr std::array<std::string_view, 11> kSubmitFields{
    "to",    "text",     "priority",     "send_at",   "validity", "flash", "status_report",
    "modem", "operator", "callback_url", "reference",
};

// Unicode code points in valid UTF-8 (nlohmann has checked it): bytes that do not
// continue a sequence.
std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

// Longest destination accepted as text: E.164 has at most 15 digits; room for "+", "00",
// spaces and dashes.
constexpr std::size_t kMaxToLength = 32;
// Longest text: 255 concatenated parts of 67 UCS-2 characters, 4 UTF-8 bytes each at most.
constexpr std::size_t kMaxTextBytes = 255 * 67 * 4;

Result<SubmitRequest> parse_message(const json& object, std::string_view prefix) {
  for (const auto& item : object.items()) {
    bool known = false;
    for (auto field : kSubmitFields) known = known || item.key() == field;
    if (!known) return validation(prefix, item.key(), "unknown field");
  }
  SubmitRequest request;
  auto to = required_string(object, prefix, "to", kMaxToLength);
  if (!to) return std::move(to).error();
  request.to = std::move(to).value();
  auto text = required_string(object, prefix, "text", kMaxTextBytes);
  if (!text) return std::move(text).error();
  request.text = std::move(text).value();

  auto priority = optional_integer(object, prefix, "priority", std::numeric_limits<int32_t>::min(),
                                   std::numeric_limits<int32_t>::max());
  if (!priority) return std::move(priority).error();
  if (*priority) request.priority = static_cast<std::int32_t>(**priority);

  if (const json* send_at = find_field(object, "send_at")) {
    if (!send_at->is_string()) return validation(prefix, "send_at", "must be a string");
    auto time = parse_rfc3339(send_at->get_ref<const std::string&>());
    if (!time) {
      return validation(prefix, "send_at",
                        "not an RFC 3339 date-time (e.g. \"2024-05-01T12:00:00Z\")");
    }
    request.send_at = *time;
  }

  auto validity = optional_integer(object, prefix, "validity", 1, kMaxValiditySeconds);
  if (!validity) {
    const json* value = find_field(object, "validity");
    if (value->is_number_integer()) {
      return validation(prefix, "validity",
                        "must be a number of seconds from 1 to " +
                            std::to_string(kMaxValiditySeconds) + " (63 weeks)");
    }
    return std::move(validity).error();
  }
  if (*validity) request.validity = std::chrono::seconds{**validity};

  auto flash = optional_bool(object, prefix, "flash");
  if (!flash) return std::move(flash).error();
  request.flash = flash->value_or(false);
  auto status_report = optional_bool(object, prefix, "status_report");
  if (!status_report) return std::move(status_report).error();
  request.status_report = *status_report;  // absent: the gateway's [sms] status_report

  auto modem = optional_string(object, prefix, "modem");
  if (!modem) return std::move(modem).error();
  request.modem = std::move(modem).value();
  auto operator_name = optional_string(object, prefix, "operator");
  if (!operator_name) return std::move(operator_name).error();
  request.operator_name = std::move(operator_name).value();

  auto reference = optional_string(object, prefix, "reference");
  if (!reference) return std::move(reference).error();
  if (*reference && code_points(**reference) > kMaxReferenceLength) {
    return validation(prefix, "reference",
                      "longer than " + std::to_string(kMaxReferenceLength) + " characters");
  }
  request.reference = std::move(reference).value();
  auto callback_url = optional_string(object, prefix, "callback_url");
  if (!callback_url) return std::move(callback_url).error();
  if (*callback_url) {
    if ((*callback_url)->size() > kMaxCallbackUrlLength) {
      return validation(prefix, "callback_url",
                        "longer than " + std::to_string(kMaxCallbackUrlLength) + " bytes");
    }
    if (auto url = parse_webhook_url(**callback_url); !url) {
      // "webhook URL \"...\": <reason>"
      const auto& message = url.error().message;
      return validation(prefix, "callback_url", message.substr(message.rfind("\": ") + 3));
    }
  }
  request.callback_url = std::move(callback_url).value();
  return request;
}

struct QueryParameter {
  std::string name;
  std::string value;
};

// "a=1&b=x+y" -> {{"a","1"},{"b","x y"}}; each name at most once, and only known names.
Result<std::vector<QueryParameter>> parse_query(std::string_view query,
                                                std::initializer_list<std::string_view> known) {
  std::vector<QueryParameter> parameters;
  while (!query.empty()) {
    const auto end = std::min(query.find('&'), query.size());
    const auto pair = query.substr(0, end);
    query.remove_prefix(std::min(end + 1, query.size()));
    if (pair.empty()) continue;
    const auto equals = std::min(pair.find('='), pair.size());
    QueryParameter parameter;
    if (!percent_decode(pair.substr(0, equals), parameter.name, true)) {
      return Error{"invalid", "query: malformed percent-escape in a parameter name"};
    }
    const auto raw_value = equals < pair.size() ? pair.substr(equals + 1) : std::string_view{};
    if (!percent_decode(raw_value, parameter.value, true)) {
      return validation("", parameter.name, "malformed percent-escape");
    }
    bool is_known = false;
    for (auto name : known) is_known = is_known || name == parameter.name;
    if (!is_known) return validation("", parameter.name, "unknown query parameter");
    for (const auto& earlier : parameters) {
      if (earlier.name == parameter.name) return validation("", parameter.name, "given twice");
    }
    parameters.push_back(std::move(parameter));
  }
  return parameters;
}

Result<int> parse_limit(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < 1 || value > 1000) {
    return validation("", "limit", "must be an integer from 1 to 1000");
  }
  return value;
}

constexpr std::array<std::string_view, 8> kMessageStatuses{
    "queued", "sending", "sent", "delivered", "failed", "expired", "cancelled", "unknown",
};

}  // namespace

Result<void> check_json_content_type(std::string_view content_type, std::string_view body) {
  if (body.empty() && trim(content_type).empty()) return {};
  auto media_type =
      trim(content_type.substr(0, std::min(content_type.find(';'), content_type.size())));
  const bool is_json =
      iequals(media_type, "application/json") ||
      (media_type.size() > 17 && iequals(media_type.substr(0, 12), "application/") &&
       iequals(media_type.substr(media_type.size() - 5), "+json"));
  if (is_json) return {};
  std::string shown = media_type.empty() ? std::string{"none"} : std::string{media_type};
  if (shown.size() > 100) shown.resize(100);
  return Error{"unsupported_media_type", "Content-Type must be application/json, got " + shown};
}

Result<nlohmann::json> parse_json(std::string_view body) {
  json root;
  BoundedDomParser parser(root);
  const bool ok =
      json::sax_parse(body.begin(), body.end(), &parser, json::input_format_t::json, true, false);
  if (!ok) {
    if (body.empty()) return Error{"invalid", "malformed JSON: the body is empty"};
    return Error{"invalid", "malformed JSON at byte " + std::to_string(parser.position()) + ": " +
                                parser.reason()};
  }
  return root;
}

Result<SubmitBody> parse_submit(const nlohmann::json& body) {
  if (!body.is_object()) return Error{"validation", "body: must be a JSON object"};
  SubmitBody result;
  const auto batch = body.find("messages");
  if (batch == body.end()) {
    auto message = parse_message(body, "");
    if (!message) return std::move(message).error();
    result.messages.push_back(std::move(message).value());
    return result;
  }
  result.batch = true;
  for (const auto& item : body.items()) {
    if (item.key() != "messages") {
      return validation("", item.key(), "unknown field (a batch holds only \"messages\")");
    }
  }
  if (!batch->is_array()) return validation("", "messages", "must be an array");
  if (batch->empty()) return validation("", "messages", "must not be empty");
  if (batch->size() > kMaxBatchSize) {
    return validation("", "messages",
                      "more than " + std::to_string(kMaxBatchSize) + " messages in one batch");
  }
  result.messages.reserve(batch->size());
  std::string prefix;
  for (std::size_t i = 0; i < batch->size(); ++i) {
    prefix = "messages[" + std::to_string(i) + "]";
    const auto& entry = (*batch)[i];
    if (!entry.is_object()) return validation("", prefix, "must be an object");
    prefix += '.';
    auto message = parse_message(entry, prefix);
    if (!message) return std::move(message).error();
    result.messages.push_back(std::move(message).value());
  }
  return result;
}

Result<std::string> parse_ussd(const nlohmann::json& body) {
  if (!body.is_object()) return Error{"validation", "body: must be a JSON object"};
  for (const auto& item : body.items()) {
    if (item.key() != "code") return validation("", item.key(), "unknown field");
  }
  auto code = required_string(body, "", "code", 160);
  if (!code) return code;
  for (char c : *code) {
    if (!((c >= '0' && c <= '9') || c == '*' || c == '#' || c == '+')) {
      return validation("", "code", "may hold only digits, '*', '#' and '+'");
    }
  }
  return code;
}

Result<void> parse_balance(std::string_view body) {
  if (trim(body).empty()) return {};
  auto parsed = parse_json(body);
  if (!parsed) return std::move(parsed).error();
  if (!parsed->is_object()) return Error{"validation", "body: must be a JSON object"};
  for (const auto& item : parsed->items()) return validation("", item.key(), "unknown field");
  return {};
}

Result<MessageQuery> parse_message_query(std::string_view query) {
  auto parameters =
      parse_query(query, {"status", "limit", "before", "reference", "client", "to", "modem"});
  if (!parameters) return std::move(parameters).error();
  MessageQuery result;
  for (auto& [name, value] : *parameters) {
    if (name == "status") {
      bool known = false;
      for (auto status : kMessageStatuses) known = known || status == value;
      if (!known) {
        return validation("", "status",
                          "must be one of queued, sending, sent, delivered, failed, expired, "
                          "cancelled, unknown");
      }
      result.status = std::move(value);
    } else if (name == "limit") {
      auto limit = parse_limit(value);
      if (!limit) return std::move(limit).error();
      result.limit = *limit;
    } else if (name == "reference" || name == "client") {
      if (value.empty()) return validation("", name, "must not be empty");
      (name == "reference" ? result.reference : result.client) = std::move(value);
    } else if (name == "to" || name == "modem") {
      if (value.empty()) return validation("", name, "must not be empty");
      (name == "to" ? result.to : result.modem) = std::move(value);
    } else {
      if (value.empty()) return validation("", "before", "must not be empty");
      result.before = std::move(value);
    }
  }
  return result;
}

Result<InboxQuery> parse_inbox_query(std::string_view query) {
  auto parameters = parse_query(query, {"limit", "before", "since", "from", "modem"});
  if (!parameters) return std::move(parameters).error();
  InboxQuery result;
  for (auto& [name, value] : *parameters) {
    if (name == "limit") {
      auto limit = parse_limit(value);
      if (!limit) return std::move(limit).error();
      result.limit = *limit;
    } else if (name == "since") {
      auto time = parse_rfc3339(value);
      if (!time) {
        return validation("", "since", "not an RFC 3339 date-time (e.g. \"2024-05-01T12:00:00Z\")");
      }
      result.since = *time;
    } else if (name == "from" || name == "modem") {
      if (value.empty()) return validation("", name, "must not be empty");
      (name == "from" ? result.from : result.modem) = std::move(value);
    } else {
      if (value.empty()) return validation("", "before", "must not be empty");
      result.before = std::move(value);
    }
  }
  return result;
}

Result<std::int64_t> parse_event_id(std::string_view text, std::string_view field) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < 0) {
    std::string shown(text.substr(0, 40));
    return Error{"invalid", std::string(field) + ": \"" + shown +
                                "\" is not an event id of this stream (a number it sent)"};
  }
  return value;
}

Result<EventStreamQuery> parse_event_stream_query(std::string_view query) {
  auto parameters = parse_query(query, {"access_token", "last_event_id"});
  if (!parameters) return std::move(parameters).error();
  EventStreamQuery result;
  for (auto& [name, value] : *parameters) {
    if (name == "access_token") {
      result.access_token = std::move(value);
    } else {
      auto id = parse_event_id(value, "last_event_id");
      if (!id) return std::move(id).error();
      result.last_event_id = *id;
    }
  }
  return result;
}

Result<void> parse_empty_query(std::string_view query) {
  auto parameters = parse_query(query, {});
  if (!parameters) return std::move(parameters).error();
  return {};
}

std::string request_fingerprint(const nlohmann::json& body) {
  const std::string canonical = body.dump(-1, ' ', false, json::error_handler_t::replace);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(canonical.data(), canonical.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

}  // namespace smsgw::http
