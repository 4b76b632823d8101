// ByteStream: the seam between the AT channel and the operating system.
// A serial port, a pseudo-terminal and an in-memory test stream all implement it.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"

namespace smsgw::at {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads at least one byte into `buffer`; an Error ("at.io") when the stream failed or
  // reached its end (a modem unplugged: EIO/EOF).
  virtual awaitable<Result<std::size_t>> read_some(std::span<char> buffer) = 0;
  // Writes all of `bytes`.
  virtual awaitable<Result<void>> write_all(std::string_view bytes) = 0;
  virtual void close() = 0;
  virtual asio::any_io_executor executor() = 0;
};

}  // namespace smsgw::at
