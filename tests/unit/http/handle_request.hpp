// Runs one request through an ApiHandler on a test's io_context and returns the answer.
#pragma once

#include <gtest/gtest.h>

#include <optional>

#include "smsgw/http/api_handler.hpp"

namespace smsgw::http::testing {

inline awaitable<void> store_response(awaitable<ApiResponse> task,
                                      std::optional<ApiResponse>& out) {
  out = co_await std::move(task);
}

inline ApiResponse handle_request(asio::io_context& io, ApiHandler& handler,
                                  const ApiRequest& request) {
  std::optional<ApiResponse> response;
  asio::co_spawn(io, store_response(handler.handle(request), response), asio::detached);
  io.run();
  io.restart();
  EXPECT_TRUE(response.has_value());
  return response.value_or(ApiResponse{});
}

}  // namespace smsgw::http::testing
