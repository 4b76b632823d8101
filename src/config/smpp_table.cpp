// The [smpp] table: the SMPP 3.4 server's listener, window, link supervision and limits.
#include "smsgw/common/listen_address.hpp"
#include "table_readers.hpp"

namespace smsgw::config {

void read_smpp(TomlReader& reader, const toml::table& root, SmppConfig& smpp) {
  const auto* table = reader.table(root, "smpp", "");
  if (table == nullptr) return;
  reader.allow_keys(*table, "smpp",
                    {"listen", "window", "enquire_link_interval", "enquire_link_timeout",
                     "max_binds", "parts_timeout"});
  smpp.listen = reader.string(*table, "listen", "smpp.", smpp.listen);
  if (!smpp.listen.empty()) {
    if (auto address = parse_listen_address(smpp.listen); address) {
      smpp.listen_host = address->host;
      smpp.listen_port = address->port;
      smpp.listen_is_loopback = address->loopback;
    } else {
      reader.fail("smpp.listen", table->get("listen"),
                  address.error().message + ", got \"" + smpp.listen + "\"");
    }
  }
  smpp.window =
      static_cast<std::uint32_t>(reader.integer(*table, "window", "smpp.", 1, 1000, smpp.window));
  smpp.enquire_link_interval =
      reader.duration(*table, "enquire_link_interval", "smpp.", smpp.enquire_link_interval, false);
  smpp.enquire_link_timeout =
      reader.duration(*table, "enquire_link_timeout", "smpp.", smpp.enquire_link_timeout, false);
  smpp.max_binds = static_cast<std::size_t>(reader.integer(
      *table, "max_binds", "smpp.", 1, 100'000, static_cast<std::int64_t>(smpp.max_binds)));
  smpp.parts_timeout = reader.duration(*table, "parts_timeout", "smpp.", smpp.parts_timeout, false);
}

}  // namespace smsgw::config
