// JsonObject: builds the small JSON objects of the event log's `detail` column.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace smsgw::store {

class JsonObject {
 public:
  JsonObject& text(std::string_view key, std::string_view value) {
    open_field(key);
    append_string(value);
    return *this;
  }
  JsonObject& number(std::string_view key, std::int64_t value) {
    open_field(key);
    out_ += std::to_string(value);
    return *this;
  }
  JsonObject& flag(std::string_view key, bool value) {
    open_field(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  // `json` must already be valid JSON (an array or object built here).
  JsonObject& raw(std::string_view key, std::string_view json) {
    open_field(key);
    out_ += json;
    return *this;
  }
  std::string str() const { return out_ + "}"; }

 private:
  void open_field(std::string_view key) {
    if (out_.size() > 1) out_ += ',';
    append_string(key);
    out_ += ':';
  }
  // RFC 8259 section 7: quote, backslash and control characters are escaped.
  void append_string(std::string_view value) {
    out_ += '"';
    for (const char c : value) {
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
            out_ += escaped;
          } else {
            out_ += c;
          }
      }
    }
    out_ += '"';
  }

  std::string out_ = "{";
};

}  // namespace smsgw::store
