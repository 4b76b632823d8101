// The dashboard's embedded files as HTTP answers. The table itself, web_assets(), is
// generated from web/ at build time (cmake/EmbedFiles.cmake, src/http/CMakeLists.txt).
#include "smsgw/http/web_assets.hpp"

#include <algorithm>

namespace smsgw::http {

namespace {

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// RFC 9110 8.8.3.2 weak comparison: the opaque tags agree, W/ prefixes aside.
std::string_view opaque_tag(std::string_view entity_tag) noexcept {
  if (entity_tag.starts_with("W/")) entity_tag.remove_prefix(2);
  return entity_tag;
}

}  // namespace

const WebAsset* find_web_asset(std::string_view name) noexcept {
  const auto assets = web_assets();
  const auto it = std::lower_bound(
      assets.begin(), assets.end(), name,
      [](const WebAsset& asset, std::string_view wanted) { return asset.name < wanted; });
  return it != assets.end() && it->name == name ? &*it : nullptr;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) noexcept {
  // RFC 9110 13.1.2: If-None-Match = "*" / #entity-tag. An entity tag is quoted and holds
  // no comma or quote, so splitting the list at commas is exact.
  if (trim(if_none_match) == "*") return true;
  const auto wanted = opaque_tag(etag);
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    const auto candidate = trim(if_none_match.substr(0, comma));
    if (!candidate.empty() && opaque_tag(candidate) == wanted) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

ApiResponse asset_response(const WebAsset& asset, std::string_view if_none_match) {
  ApiResponse response;
  // RFC 9110 15.4.5: a 304 carries the ETag and Cache-Control a 200 would, and no body.
  if (!if_none_match.empty() && etag_matches(if_none_match, asset.etag)) {
    response.status = 304;
    response.content_type = {};
  } else {
    response.content_type = asset.content_type;
    response.body.assign(asset.bytes);
  }
  response.headers = {
      {"ETag", std::string(asset.etag)},
      {"Cache-Control", "no-cache"},
      {"Content-Security-Policy", std::string(kContentSecurityPolicy)},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
  };
  return response;
}

}  // namespace smsgw::http
