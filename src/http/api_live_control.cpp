// ApiHandler: live control of modems and SIMs (POST /api/v1/modems/{id}/pause, /resume,
// /reset; routes marked `admin` in router.cpp).
#include "smsgw/http/api_handler.hpp"
#include "smsgw/http/json.hpp"
#include "smsgw/http/requests.hpp"

namespace smsgw::http {
namespace {

// Who paused a SIM, as the pause records it: the caller's name. Until API clients have
// names, "token" for a request that carries a bearer token (auth checked it already), else
// "api".
std::string caller_name(const ApiRequest& request) {
  return request.authorization.empty() ? "api" : "token";
}

}  // namespace

awaitable<ApiResponse> ApiHandler::live_control(const ApiRequest& request, RouteId route,
                                                std::string modem_id) {
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
      modem = co_await gateway_.pause_modem(std::move(modem_id), caller_name(request));
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
