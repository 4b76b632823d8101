// HTTP/1.1 wire text shared by the harness's client and webhook receiver (RFC 9112 2.1, 5).
#pragma once

#include <functional>
#include <string>

namespace smsgw::harness::wire {

// `text` in ASCII lower case (header names compare case-insensitively, RFC 9110 5.1).
std::string lower(std::string text);

// `text` without leading spaces/tabs and trailing spaces/tabs/CR.
std::string trim(const std::string& text);

// Calls `field(name, value)` for every "Name: value" line of `head` after its first (start)
// line, in order; the name lower-cased, both trimmed. Lines without a colon are skipped.
void for_each_header(const std::string& head,
                     const std::function<void(const std::string&, const std::string&)>& field);

}  // namespace smsgw::harness::wire
