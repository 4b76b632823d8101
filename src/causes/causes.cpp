#include "smsgw/causes/causes.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace smsgw::causes {
namespace {

using enum SendClass;
using enum Source;

constexpr CauseRow row(int code, std::string_view text, SendClass send_class, Source source,
                       int retry_limit = 0, std::string_view also_spelled = {}) {
  return CauseRow{code, code, text, send_class, retry_limit, source, also_spelled};
}
constexpr CauseRow range(int first, int last, std::string_view text, SendClass send_class,
                         Source source) {
  return CauseRow{first, last, text, send_class, 0, source, {}};
}

// +CMS ERROR <err>. Classes per the at-protocol.md +CMS ERROR policy ("retry soon",
// "retry later or on a different SIM", "permanent for this message"); codes the policy
// does not name are classed by what the specification says the cause means.
constexpr std::array kCms = {
    // ---- RP-cause, 3GPP TS 24.011 Annex E-2
    row(1, "unassigned (unallocated) number", permanent, rp_cause),
    row(8, "operator determined barring", retry_other_sim, rp_cause),  // e.g. no credit
    row(10, "call barred", retry_other_sim, rp_cause),
    // PLMN failure (e.g. MAP problems) while serving the request: transient.
    row(17, "network failure", retry_soon, rp_cause),
    row(21, "short message transfer rejected", permanent, rp_cause),
    row(22, "memory capacity exceeded", retry_soon, rp_cause),
    row(27, "destination out of service", permanent, rp_cause),
    row(28, "unidentified subscriber", permanent, rp_cause),
    row(29, "facility rejected", permanent, rp_cause),
    row(30, "unknown subscriber", permanent, rp_cause),
    // "likely to last a relatively long period": another network.
    row(38, "network out of order", retry_other_sim, rp_cause),
    row(41, "temporary failure", retry_soon, rp_cause),
    row(42, "congestion", retry_soon, rp_cause),
    row(47, "resources unavailable, unspecified", retry_soon, rp_cause),
    row(50, "requested facility not subscribed", retry_other_sim, rp_cause),
    row(69, "requested facility not implemented", retry_other_sim, rp_cause),
    row(81, "invalid short message transfer reference value", retry_soon, rp_cause),
    row(95, "invalid message, unspecified", permanent, rp_cause),
    row(96, "invalid mandatory information", permanent, rp_cause),
    row(97, "message type non-existent or not implemented", permanent, rp_cause),
    row(98, "message not compatible with short message protocol state", permanent, rp_cause),
    row(99, "information element non-existent or not implemented", permanent, rp_cause),
    row(111, "protocol error, unspecified", permanent, rp_cause),
    // Interworking with a network that gives no cause: what failed cannot be told, so the
    // unknown-code default; another SIM's operator interworks by another path.
    row(127, "interworking, unspecified", retry_other_sim, rp_cause),

    // ---- TP-FCS, 3GPP TS 23.040 9.2.3.22: the TPDU is refused
    range(128, 143, "TP-PID error", permanent, tp_fcs),
    range(144, 159, "TP-DCS error", permanent, tp_fcs),
    range(160, 175, "TP-Command error", permanent, tp_fcs),
    row(176, "TPDU not supported", permanent, tp_fcs),
    // Reserved values inside the block of TPDU errors (0x80-0xBF): refused like their block.
    range(177, 191, "reserved TPDU error", permanent, tp_fcs),
    row(192, "SC busy", retry_soon, tp_fcs),
    row(193, "no SC subscription", retry_other_sim, tp_fcs),
    // The service centre of this SIM's operator fails (more than busy, 192): another SIM
    // reaches another service centre.
    row(194, "SC system failure", retry_other_sim, tp_fcs),
    row(195, "invalid SME address", permanent, tp_fcs),
    row(196, "destination SME barred", permanent, tp_fcs),
    // The first copy was accepted: resending cannot help.
    row(197, "SM rejected, duplicate SM", permanent, tp_fcs),
    row(198, "TP-VPF not supported", permanent, tp_fcs),
    row(199, "TP-VP not supported", permanent, tp_fcs),

    // ---- ME/TA errors, 3GPP TS 27.005 3.2.5
    // The modem itself fails: this modem, not the moment, is in trouble.
    row(300, "ME failure", retry_other_sim, me_ta),
    row(301, "SMS service of ME reserved", retry_soon, me_ta, 2),
    row(302, "operation not allowed", retry_other_sim, me_ta),
    row(303, "operation not supported", retry_other_sim, me_ta),
    row(304, "invalid PDU mode parameter", permanent, me_ta),
    row(305, "invalid text mode parameter", permanent, me_ta),
    row(310, "SIM not inserted", retry_other_sim, me_ta, 0, "(U)SIM not inserted"),
    row(311, "SIM PIN required", retry_other_sim, me_ta),
    row(312, "PH-SIM PIN required", retry_other_sim, me_ta),
    row(313, "SIM failure", retry_other_sim, me_ta),
    // Busy, like +CME ERROR: 14 and vendor 515: back off (policy "retry soon").
    row(314, "SIM busy", retry_soon, me_ta),
    row(315, "SIM wrong", retry_other_sim, me_ta),
    row(316, "SIM PUK required", retry_other_sim, me_ta),
    row(317, "SIM PIN2 required", retry_other_sim, me_ta),
    row(318, "SIM PUK2 required", retry_other_sim, me_ta),
    row(320, "memory failure", retry_other_sim, me_ta),
    row(321, "invalid memory index", retry_other_sim, me_ta),
    row(322, "memory full", retry_other_sim, me_ta),
    row(330, "SMSC address unknown", retry_other_sim, me_ta),  // fix with AT+CSCA
    // This modem is not registered: it cannot send until it is, another SIM can now. The
    // policy's "retry soon" would keep the message on a SIM without service.
    row(331, "no network service", retry_other_sim, me_ta),
    // The SC may have the message: a retry may duplicate it, but soon is right.
    row(332, "network timeout", retry_soon, me_ta),
    // Never an answer to a send; when it is, the modem's state is not ours.
    row(340, "no +CNMA acknowledgement expected", retry_other_sim, me_ta),
    // Unknown: retry soon, a limited number of times (policy).
    row(500, "unknown error", retry_soon, me_ta, 2),

    // ---- vendor codes (smstools3 modeminit.c; python-gsmmodem for 515)
    row(512, "MM establishment failure / radio link lost", retry_soon, vendor),
    row(513, "lower layer failure / congestion", retry_soon, vendor),
    row(514, "CP error / congestion", retry_soon, vendor),
    row(515, "device busy, please wait", retry_soon, vendor),
};

// +CME ERROR <err>, 3GPP TS 27.007 9.2.1. Codes that cannot answer a send keep the
// unknown-code class.
constexpr std::array kCme = {
    row(0, "phone failure", retry_other_sim, cme),
    row(1, "no connection to phone", retry_other_sim, cme),
    row(2, "phone-adaptor link reserved", retry_other_sim, cme),
    row(3, "operation not allowed", retry_other_sim, cme),
    row(4, "operation not supported", retry_other_sim, cme),
    row(5, "PH-SIM PIN required", retry_other_sim, cme),
    row(6, "PH-FSIM PIN required", retry_other_sim, cme),
    row(7, "PH-FSIM PUK required", retry_other_sim, cme),
    row(10, "SIM not inserted", retry_other_sim, cme),
    row(11, "SIM PIN required", retry_other_sim, cme),
    row(12, "SIM PUK required", retry_other_sim, cme),
    row(13, "SIM failure", retry_other_sim, cme),
    row(14, "SIM busy", retry_soon, cme),  // policy: busy, back off
    row(15, "SIM wrong", retry_other_sim, cme),
    row(16, "incorrect password", retry_other_sim, cme),
    row(17, "SIM PIN2 required", retry_other_sim, cme),
    row(18, "SIM PUK2 required", retry_other_sim, cme),
    row(20, "memory full", retry_other_sim, cme),
    row(21, "invalid index", retry_other_sim, cme),
    row(22, "not found", retry_other_sim, cme),
    row(23, "memory failure", retry_other_sim, cme),
    row(24, "text string too long", retry_other_sim, cme),
    row(25, "invalid characters in text string", retry_other_sim, cme),
    row(26, "dial string too long", retry_other_sim, cme),
    row(27, "invalid characters in dial string", retry_other_sim, cme),
    // As +CMS ERROR: 331 / 332 / 500, which they mean on the SMS side.
    row(30, "no network service", retry_other_sim, cme),
    row(31, "network timeout", retry_soon, cme),
    row(32, "network not allowed - emergency calls only", retry_other_sim, cme),
    row(40, "network personalization PIN required", retry_other_sim, cme),
    row(100, "unknown", retry_soon, cme, 2),
};

char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return upper(x) == upper(y); });
}

const CauseRow* find(std::span<const CauseRow> table, int code) {
  const auto found = std::find_if(table.begin(), table.end(), [code](const CauseRow& entry) {
    return code >= entry.first && code <= entry.last;
  });
  return found == table.end() ? nullptr : &*found;
}

std::optional<int> by_text(std::span<const CauseRow> table, std::string_view text) {
  for (const auto& entry : table) {
    if (entry.first != entry.last) continue;
    if (iequals(entry.text, text) ||
        (!entry.also_spelled.empty() && iequals(entry.also_spelled, text))) {
      return entry.first;
    }
  }
  return std::nullopt;
}

SendClass class_of(const CauseRow* entry) { return entry ? entry->send_class : kUnknownClass; }

}  // namespace

std::string_view to_string(SendClass send_class) {
  switch (send_class) {
    case retry_soon:
      return "retry_soon";
    case retry_other_sim:
      return "retry_other_sim";
    case permanent:
      return "permanent";
  }
  return "retry_other_sim";
}

std::string_view to_string(Source source) {
  switch (source) {
    case rp_cause:
      return "3GPP TS 24.011 Annex E-2";
    case tp_fcs:
      return "3GPP TS 23.040 9.2.3.22";
    case me_ta:
      return "3GPP TS 27.005 3.2.5";
    case cme:
      return "3GPP TS 27.007 9.2.1";
    case vendor:
      return "vendor";
  }
  return "vendor";
}

std::span<const CauseRow> cms_table() { return kCms; }
std::span<const CauseRow> cme_table() { return kCme; }

const CauseRow* find_cms(int code) { return find(kCms, code); }
const CauseRow* find_cme(int code) { return find(kCme, code); }

std::optional<int> cms_by_text(std::string_view text) { return by_text(kCms, text); }
std::optional<int> cme_by_text(std::string_view text) { return by_text(kCme, text); }

SendClass cms_class(int code) { return class_of(find_cms(code)); }
SendClass cme_class(int code) { return class_of(find_cme(code)); }

}  // namespace smsgw::causes
