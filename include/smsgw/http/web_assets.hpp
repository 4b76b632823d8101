// The dashboard's files (web/index.html, web/assets/*), built into the binary: GET / and
// GET /assets/{name} answer them with nothing read from disk (issue 12,
// dashboard-contract.md "GET / and GET /assets/{name}").
//
// Contract:
// - web_assets() is generated at build time by cmake/EmbedFiles.cmake from every file of
//   web/index.html and web/assets/ (flat): sorted by name, the name relative to web/
//   ("index.html", "assets/app.js"), the content type by extension ("text/javascript;
//   charset=utf-8" for .js), and a strong ETag (RFC 9110 8.8.3) from a hash of the bytes
//   computed at build time.
// - asset_response(): 200 with the bytes, or 304 without a body (and without Content-Type)
//   when `if_none_match` names the asset's entity tag or is "*" (RFC 9110 13.1.2, weak
//   comparison: W/"x" matches "x"). Both carry ETag, Cache-Control: no-cache (RFC 9111
//   5.2.2.4: the browser revalidates every time, so a new build is seen at once) and the
//   security headers of the contract: the Content-Security-Policy below, X-Content-Type-
//   Options: nosniff and Referrer-Policy: no-referrer.
#pragma once

#include <span>
#include <string_view>

#include "smsgw/http/api_handler.hpp"

namespace smsgw::http {

struct WebAsset {
  std::string_view name;          // "index.html", "assets/app.js"
  std::string_view content_type;  // "text/html; charset=utf-8"
  std::string_view etag;          // "\"<32 hex digits>\"", quotes included
  std::string_view bytes;
};

// Every embedded file, sorted by name (generated source).
std::span<const WebAsset> web_assets() noexcept;

// The asset called `name`, or nullptr.
const WebAsset* find_web_asset(std::string_view name) noexcept;

// The page's policy: nothing but its own files; no inline script or style, no framing.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// `if_none_match` is the request's If-None-Match value ("" when absent).
ApiResponse asset_response(const WebAsset& asset, std::string_view if_none_match);

// True when the If-None-Match list holds `etag` (weak comparison) or is "*".
bool etag_matches(std::string_view if_none_match, std::string_view etag) noexcept;

}  // namespace smsgw::http
