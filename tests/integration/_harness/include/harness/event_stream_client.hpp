// EventStreamClient: a blocking Server-Sent Events client for tests (GET /api/v1/events),
// over one plain TCP connection to 127.0.0.1.
//
//   harness::EventStreamClient stream(gw.http_port(), gw.token());
//   auto event = stream.next(5s);          // the next event, or nullopt on timeout/close
//
// It parses the stream as the WHATWG HTML "event stream interpretation" says: `id`,
// `event` and `data` fields, comment lines ignored, an empty line dispatches.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace smsgw::harness {

using namespace std::chrono_literals;

struct StreamedEvent {
  std::optional<std::int64_t> id;
  std::string type;  // "message" when the stream named none
  std::string data;
  [[nodiscard]] nlohmann::json json() const;
};

struct EventStreamOptions {
  std::string token;                          // Authorization: Bearer (empty: none)
  std::string target = "/api/v1/events";      // e.g. with ?access_token=
  std::optional<std::int64_t> last_event_id;  // the Last-Event-ID header
  int receive_buffer = 0;                     // SO_RCVBUF before connecting (0: default)
};

class EventStreamClient {
 public:
  // Connects and sends the request; does not read (status() reads the head).
  EventStreamClient(std::uint16_t port, EventStreamOptions options = {});
  ~EventStreamClient();
  EventStreamClient(const EventStreamClient&) = delete;
  EventStreamClient& operator=(const EventStreamClient&) = delete;

  // The answer's status code (reads the head if not read yet; 0 when none came in `timeout`).
  int status(std::chrono::milliseconds timeout = 5s);
  // The whole head as received (for assertions).
  [[nodiscard]] const std::string& head() const { return head_; }
  // The body of a non-200 answer, read until the server closed.
  std::string rest(std::chrono::milliseconds timeout = 5s);

  // The next event; nullopt when none came within `timeout` or the stream ended.
  std::optional<StreamedEvent> next(std::chrono::milliseconds timeout = 5s);
  // Events until `done` returns true for one of them (it is included); throws
  // std::runtime_error naming `what` (and what came) after `timeout`.
  std::vector<StreamedEvent> until(const std::function<bool(const StreamedEvent&)>& done,
                                   std::chrono::milliseconds timeout, const std::string& what);
  // Whether the server closed the stream within `timeout` (reads and drops what comes).
  bool closed_within(std::chrono::milliseconds timeout);
  // Comment lines seen so far (": keep-alive").
  [[nodiscard]] int comments() const { return comments_; }

 private:
  // Reads more bytes into buffer_; false on close or timeout.
  bool fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
  std::string head_;
  int status_ = -1;
  int comments_ = 0;
  bool closed_ = false;
  StreamedEvent pending_;
};

}  // namespace smsgw::harness
