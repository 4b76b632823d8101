// The "data" objects of the webhook events (README, "Webhooks"; docs/openapi.json,
// webhooks), built in one place so that [[webhook]] receivers and per-message callbacks
// get the same shapes. Pure functions; times are RFC 3339 UTC; an absent optional is JSON
// null, except `modem` of message.status, which is left out when no modem is involved (as
// before).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace smsgw::gateway {

using TimePoint = std::chrono::system_clock::time_point;

// message.status: a message reached sent, delivered, failed, expired, cancelled or unknown.
struct MessageStatusEvent {
  std::string id;
  std::string status;
  TimePoint at;
  std::optional<std::string> modem;
  std::optional<std::string> client;     // the submitting API client ([[client]] name)
  std::optional<std::string> reference;  // the client's own reference
};
// {"id", "status", "at", ["modem"], "client", "reference"}
std::string message_status_payload(const MessageStatusEvent& event);

// message.received: an inbound message is complete.
struct MessageReceivedEvent {
  std::string id;
  std::string modem;                         // the receiving modem's id
  std::optional<std::string> iccid;          // its SIM
  std::optional<std::string> operator_name;  // the SIM's operator ("operator")
  std::optional<std::string> number;         // the SIM's own number ([[sim]] number)
  std::string from;
  std::string text;
  int parts = 1;                     // parts the message was sent in
  std::optional<TimePoint> sent_at;  // the SMSC time stamp (TP-SCTS) of its first part
  TimePoint received_at;
};
// {"id", "modem", "iccid", "operator", "number", "from", "text", "parts", "sent_at",
//  "received_at"}
std::string message_received_payload(const MessageReceivedEvent& event);

// The request body: {"event": <event>, "data": <payload_json>}.
std::string webhook_body(const std::string& event, const std::string& payload_json);

}  // namespace smsgw::gateway
