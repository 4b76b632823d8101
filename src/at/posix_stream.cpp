#include "smsgw/at/posix_stream.hpp"

#include <sys/ioctl.h>

namespace smsgw::at {

PosixStream::PosixStream(asio::any_io_executor executor, int fd, std::string name)
    : descriptor_(std::move(executor), fd), name_(std::move(name)) {
  error_code ignored;
  descriptor_.non_blocking(true, ignored);
}

PosixStream::~PosixStream() { close(); }

awaitable<Result<std::size_t>> PosixStream::read_some(std::span<char> buffer) {
  if (!descriptor_.is_open()) co_return make_error(ErrorCode::at_closed, name_ + " is closed");
  error_code ec;
  const std::size_t received = co_await descriptor_.async_read_some(
      asio::buffer(buffer.data(), buffer.size()), asio::redirect_error(use_awaitable, ec));
  if (ec == asio::error::eof) {
    co_return make_error(ErrorCode::at_io,
                         "reading " + name_ + " failed: end of file (device gone?)");
  }
  if (ec) co_return make_error(ErrorCode::at_io, "reading " + name_ + " failed: " + ec.message());
  co_return received;
}

awaitable<Result<void>> PosixStream::write_all(std::string_view bytes) {
  if (!descriptor_.is_open()) co_return make_error(ErrorCode::at_closed, name_ + " is closed");
  error_code ec;
  co_await asio::async_write(descriptor_, asio::buffer(bytes.data(), bytes.size()),
                             asio::redirect_error(use_awaitable, ec));
  if (ec) co_return make_error(ErrorCode::at_io, "writing " + name_ + " failed: " + ec.message());
  co_return Result<void>{};
}

void PosixStream::close() {
  if (!descriptor_.is_open()) return;
  // A terminal opened exclusively (TIOCEXCL) keeps that flag after the close on
  // pseudo-terminals, which would lock out the next open(): clear it first. On other
  // descriptors the ioctl fails harmlessly.
  (void)::ioctl(descriptor_.native_handle(), TIOCNXCL);
  error_code ignored;
  descriptor_.close(ignored);
}

asio::any_io_executor PosixStream::executor() { return descriptor_.get_executor(); }

}  // namespace smsgw::at
