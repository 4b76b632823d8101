// PosixStream: a ByteStream over a file descriptor (a serial port or a pseudo-terminal
// opened by smsgw::serial::open_tty). It owns the descriptor.
//
// Read errors and end of file (EIO/EOF: the modem was unplugged) become "at.io" Errors
// naming `name`; after close() every operation fails with "at.closed". close() clears a
// terminal's exclusive-open flag (TIOCNXCL) before closing the descriptor.
#pragma once

#include <memory>
#include <string>

#include "smsgw/at/byte_stream.hpp"
#include "smsgw/common/net.hpp"

namespace smsgw::at {

class PosixStream final : public ByteStream {
 public:
  // Takes ownership of `fd` (non-blocking is set if it is not already).
  PosixStream(asio::any_io_executor executor, int fd, std::string name);
  ~PosixStream() override;

  awaitable<Result<std::size_t>> read_some(std::span<char> buffer) override;
  awaitable<Result<void>> write_all(std::string_view bytes) override;
  void close() override;
  asio::any_io_executor executor() override;

 private:
  asio::posix::stream_descriptor descriptor_;
  std::string name_;
};

}  // namespace smsgw::at
