// ApiHandler: live control of modems and SIMs (POST /api/v1/modems/{id}/pause, /resume,
// /reset; routes of scope `admin` in router.cpp).
#include "smsgw/http/api_handler.hpp"
#include "smsgw/http/json.hpp"
#include "smsgw/http/requests.hpp"

namespace smsgw::http {

// Who paused a SIM, as the pause records it, is the caller's name: the [[client]] name,
// "http.tokens[N]" for an admin token, "local" without authentication.
awaitable<ApiResponse> ApiHandler::live_control(const ApiRequest& request, RouteId route,
                                                std::string modem_id, Caller caller) {
  // The body is empty or {}: these actions take no parameters (yet).
  if (auto type = check_json_content_type(request.content_type, request.body); !type) {
    co_return error_response(type.error().code, type.error().message);
  }
  if (auto body = parse_balance(request.body); !body) {
    co_return error_response(body.error().code, body.error().message);
  }
  Result<ModemInfo> modem = Error{};
  unsigned status = 200;
  switch (route) {
    case RouteId::modem_pause:
      modem = co_await gateway_.pause_modem(std::move(modem_id), std::move(caller.name));
      break;
    case RouteId::modem_resume:
      modem = co_await gateway_.resume_modem(std::move(modem_id));
      break;
    default:
      modem = co_await gateway_.reset_modem(std::move(modem_id));
      status = 202;  // started, not finished
      break;
  }
  if (!modem) co_return error_response(modem.error().code, modem.error().message);
  ApiResponse response;
  response.status = status;
  response.body = dump(json_of(*modem));
  co_return response;
}

}  // namespace smsgw::http
