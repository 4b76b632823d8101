// TestStream: a ByteStream over boost::beast::test::stream, for channel tests.
// beast's stream fragments reads (read_size) and fails its Nth operation (fail_count).
// `on_write` (optional) runs right after each write, before write_all returns: a fake
// modem can answer there, so the answer is in the buffer before the channel waits.
#pragma once

#include <functional>
#include <string>

#include "smsgw/at/byte_stream.hpp"
#include "smsgw/common/net.hpp"
// Beast after net.hpp (the Asio include order, docs/architecture.md pitfall 1).
#include <boost/beast/_experimental/test/stream.hpp>

namespace smsgw::at::testing {

namespace beast_test = boost::beast::test;

class TestStream final : public ByteStream {
 public:
  using WriteHook = std::function<void(std::string_view written)>;

  explicit TestStream(beast_test::stream stream, WriteHook on_write = {})
      : stream_(std::move(stream)), on_write_(std::move(on_write)) {}

  awaitable<Result<std::size_t>> read_some(std::span<char> buffer) override {
    error_code ec;
    const std::size_t received = co_await stream_.async_read_some(
        asio::buffer(buffer.data(), buffer.size()), asio::redirect_error(use_awaitable, ec));
    if (ec) co_return make_error(ErrorCode::at_io, "test stream read failed: " + ec.message());
    co_return received;
  }

  awaitable<Result<void>> write_all(std::string_view bytes) override {
    const std::string copy(bytes);
    error_code ec;
    co_await asio::async_write(stream_, asio::buffer(copy),
                               asio::redirect_error(use_awaitable, ec));
    if (ec) co_return make_error(ErrorCode::at_io, "test stream write failed: " + ec.message());
    if (on_write_) on_write_(copy);
    co_return Result<void>{};
  }

  void close() override { stream_.close(); }

  asio::any_io_executor executor() override { return stream_.get_executor(); }

 private:
  beast_test::stream stream_;
  WriteHook on_write_;
};

}  // namespace smsgw::at::testing
