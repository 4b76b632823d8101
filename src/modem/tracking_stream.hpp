// TrackingStream: a ByteStream decorator that counts the SMS bodies fully written, so the
// actor can tell "the PDU never left" (failed) from "the PDU left, the answer did not
// come" (unknown) whatever the AT channel reports.
#pragma once

#include <cstdint>
#include <memory>

#include "smsgw/at/byte_stream.hpp"

namespace smsgw::modem {

struct IoCounters {
  // Writes ending in Ctrl-Z (TS 27.005 3.5.1: the end of a PDU) that completed.
  std::uint64_t bodies_written = 0;
};

class TrackingStream final : public at::ByteStream {
 public:
  TrackingStream(std::unique_ptr<at::ByteStream> inner, std::shared_ptr<IoCounters> counters)
      : inner_(std::move(inner)), counters_(std::move(counters)) {}

  awaitable<Result<std::size_t>> read_some(std::span<char> buffer) override {
    co_return co_await inner_->read_some(buffer);
  }

  awaitable<Result<void>> write_all(std::string_view bytes) override {
    const bool ends_body = !bytes.empty() && bytes.back() == '\x1a';
    auto written = co_await inner_->write_all(bytes);
    if (written && ends_body) ++counters_->bodies_written;
    co_return written;
  }

  void close() override { inner_->close(); }
  asio::any_io_executor executor() override { return inner_->executor(); }

 private:
  std::unique_ptr<at::ByteStream> inner_;
  std::shared_ptr<IoCounters> counters_;
};

}  // namespace smsgw::modem
