// An unsolicited result code, as the classifier recognised it.
#pragma once

#include <optional>
#include <string>

namespace smsgw::at {

struct Urc {
  std::string name;  // "+CMTI", "+CDS", "^RSSI", "RING", "RDY", ...
  std::string line;  // the whole first line, e.g. "+CMTI: \"SM\",3"; a +CUSD
                     // whose quoted text spans lines has them joined with '\n'

  std::optional<std::string> body;  // the second line of two-line URCs (+CMT, +CDS): the PDU
};

}  // namespace smsgw::at
