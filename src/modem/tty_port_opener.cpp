#include <sys/stat.h>

#include "smsgw/at/posix_stream.hpp"
#include "smsgw/modem/port_opener.hpp"
#include "smsgw/serial/tty.hpp"

namespace smsgw::modem {
namespace {

class TtyPortOpener final : public PortOpener {
 public:
  Result<std::unique_ptr<at::ByteStream>> open(asio::any_io_executor executor,
                                               const std::string& port, int baud) override {
    auto fd = serial::open_tty(port, serial::TtyOptions{baud, true});
    if (!fd) return std::move(fd).error();
    std::unique_ptr<at::ByteStream> stream =
        std::make_unique<at::PosixStream>(std::move(executor), fd->release(), port);
    return stream;
  }

  bool exists(const std::string& port) override {
    struct stat info {};
    return ::stat(port.c_str(), &info) == 0;  // follows the by-path / sim symlink
  }
};

}  // namespace

std::shared_ptr<PortOpener> make_tty_port_opener() { return std::make_shared<TtyPortOpener>(); }

}  // namespace smsgw::modem
