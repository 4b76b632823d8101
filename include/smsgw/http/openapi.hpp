// The OpenAPI 3.0 description of the HTTP API, served at GET /api/v1/openapi.json.
// Its source is docs/openapi.json, embedded at build time (src/http/CMakeLists.txt).
#pragma once

#include <string_view>

namespace smsgw::http {

std::string_view openapi_document() noexcept;

}  // namespace smsgw::http
