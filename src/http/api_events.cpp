// GET /api/v1/events (the live stream, answered by the server through event_stream.hpp once
// accepted here) and GET /api/v1/stats.
#include "smsgw/http/api_handler.hpp"
#include "smsgw/http/json.hpp"
#include "smsgw/http/requests.hpp"

namespace smsgw::http {

ApiResponse ApiHandler::event_stream(const ApiRequest& request, std::string_view query,
                                     Caller caller) {
  auto parsed = parse_event_stream_query(query);
  if (!parsed) return error_response(parsed.error().code, parsed.error().message);
  EventStreamStart start{std::move(caller), parsed->last_event_id};
  // The browser's own reconnect sends the header; it wins over a stale query parameter.
  if (!request.last_event_id.empty()) {
    auto id = parse_event_id(request.last_event_id, "Last-Event-ID");
    if (!id) return error_response(id.error().code, id.error().message);
    start.last_event_id = *id;
  }
  ApiResponse response;
  response.content_type = "text/event-stream";
  response.stream = std::move(start);
  return response;
}

awaitable<ApiResponse> ApiHandler::stats() {
  auto stats = co_await gateway_.stats();
  ApiResponse response;
  if (!stats) {
    response = error_response(stats.error().code, stats.error().message);
  } else {
    response.body = dump(json_of(*stats));
  }
  co_return response;
}

}  // namespace smsgw::http
