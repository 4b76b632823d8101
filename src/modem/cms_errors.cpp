#include "smsgw/modem/cms_errors.hpp"

#include <array>
#include <charconv>
#include <string>

namespace smsgw::modem {
namespace {

struct CodeRule {
  int first;
  int last;
  ErrorAction action;
  std::string_view cause;
  int retry_limit = 0;
};

using enum ErrorAction;

// +CMS ERROR codes. Ranges are inclusive.
constexpr std::array kCmsRules{
    // TS 24.011 Annex E-2: RP causes.
    CodeRule{1, 1, permanent, "unassigned (unallocated) number"},
    CodeRule{8, 8, retry_other_sim, "operator determined barring"},
    CodeRule{10, 10, retry_other_sim, "call barred"},
    CodeRule{17, 17, retry_soon, "network failure"},
    CodeRule{21, 21, permanent, "short message transfer rejected"},
    CodeRule{22, 22, retry_soon, "memory capacity exceeded"},
    CodeRule{27, 27, permanent, "destination out of service"},
    CodeRule{28, 28, permanent, "unidentified subscriber"},
    CodeRule{29, 29, permanent, "facility rejected"},
    CodeRule{30, 30, permanent, "unknown subscriber"},
    CodeRule{38, 38, retry_other_sim, "network out of order"},
    CodeRule{41, 41, retry_soon, "temporary failure"},
    CodeRule{42, 42, retry_soon, "congestion"},
    CodeRule{47, 47, retry_soon, "resources unavailable, unspecified"},
    CodeRule{50, 50, retry_other_sim, "requested facility not subscribed"},
    CodeRule{69, 69, retry_other_sim, "requested facility not implemented"},
    CodeRule{81, 81, retry_soon, "invalid short message transfer reference value"},
    CodeRule{95, 95, permanent, "invalid message, unspecified"},
    CodeRule{96, 96, permanent, "invalid mandatory information"},
    CodeRule{97, 97, permanent, "message type non-existent or not implemented"},
    CodeRule{98, 98, permanent, "message not compatible with short message protocol state"},
    CodeRule{99, 99, permanent, "information element non-existent or not implemented"},
    CodeRule{111, 111, permanent, "protocol error, unspecified"},
    CodeRule{127, 127, retry_other_sim, "interworking, unspecified"},
    // TS 23.040 9.2.3.22: TP-FCS.
    CodeRule{128, 143, permanent, "TP-PID error"},
    CodeRule{144, 159, permanent, "TP-DCS error"},
    CodeRule{160, 175, permanent, "TP command error"},
    CodeRule{176, 176, permanent, "TPDU not supported"},
    CodeRule{192, 192, retry_soon, "SC busy"},
    CodeRule{193, 193, retry_other_sim, "no SC subscription"},
    CodeRule{194, 194, retry_other_sim, "SC system failure"},
    CodeRule{195, 195, permanent, "invalid SME address"},
    CodeRule{196, 196, permanent, "destination SME barred"},
    CodeRule{197, 197, permanent, "SM rejected, duplicate SM"},
    CodeRule{198, 199, permanent, "TP-VPF or TP-VP not supported"},
    // TS 27.005 3.2.5: ME/TA errors.
    CodeRule{300, 300, retry_soon, "ME failure", 2},
    CodeRule{301, 301, retry_soon, "SMS service of ME reserved", 2},
    CodeRule{302, 302, retry_other_sim, "operation not allowed"},
    CodeRule{303, 303, retry_other_sim, "operation not supported"},
    CodeRule{304, 304, permanent, "invalid PDU mode parameter"},
    CodeRule{305, 305, permanent, "invalid text mode parameter"},
    CodeRule{310, 310, retry_other_sim, "SIM not inserted"},
    CodeRule{311, 311, retry_other_sim, "SIM PIN required"},
    CodeRule{312, 312, retry_other_sim, "PH-SIM PIN required"},
    CodeRule{313, 313, retry_other_sim, "SIM failure"},
    CodeRule{314, 314, retry_other_sim, "SIM busy"},
    CodeRule{315, 315, retry_other_sim, "SIM wrong"},
    CodeRule{316, 316, retry_other_sim, "SIM PUK required"},
    CodeRule{317, 317, retry_other_sim, "SIM PIN2 required"},
    CodeRule{318, 318, retry_other_sim, "SIM PUK2 required"},
    CodeRule{320, 322, retry_other_sim, "memory failure / invalid index / memory full"},
    CodeRule{330, 330, retry_other_sim, "SMSC address unknown"},
    CodeRule{331, 331, retry_soon, "no network service"},
    CodeRule{332, 332, retry_soon, "network timeout"},
    CodeRule{340, 340, retry_soon, "no +CNMA acknowledgement expected"},
    CodeRule{500, 500, retry_soon, "unknown error", 2},
    // Vendor codes (smstools3 modeminit.c tables; python-gsmmodem for 515).
    CodeRule{512, 512, retry_soon, "vendor: MM establishment failure / radio link lost"},
    CodeRule{513, 513, retry_soon, "vendor: lower layer failure / congestion"},
    CodeRule{514, 514, retry_soon, "vendor: CP error / congestion"},
    CodeRule{515, 515, retry_soon, "vendor: device busy, please wait"},
};

// +CME ERROR codes (TS 27.007 9.2.1) that can answer a send.
constexpr std::array kCmeRules{
    CodeRule{3, 3, retry_other_sim, "operation not allowed"},
    CodeRule{4, 4, retry_other_sim, "operation not supported"},
    CodeRule{10, 10, retry_other_sim, "SIM not inserted"},
    CodeRule{11, 12, retry_other_sim, "SIM PIN/PUK required"},
    CodeRule{13, 13, retry_other_sim, "SIM failure"},
    CodeRule{14, 14, retry_soon, "SIM busy"},
    CodeRule{15, 15, retry_other_sim, "SIM wrong"},
    CodeRule{16, 18, retry_other_sim, "incorrect password / PIN2/PUK2 required"},
    CodeRule{30, 30, retry_soon, "no network service"},
    CodeRule{31, 31, retry_soon, "network timeout"},
    CodeRule{32, 32, retry_other_sim, "network not allowed, emergency calls only"},
    CodeRule{100, 100, retry_soon, "unknown", 2},
};

std::optional<int> numeric_suffix(const Error& error, std::string_view prefix) {
  const std::string_view code = error.code;
  if (code.size() <= prefix.size() || code.substr(0, prefix.size()) != prefix) {
    return std::nullopt;
  }
  const auto digits = code.substr(prefix.size());
  int value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return value;
}

template <std::size_t N>
ErrorClassification lookup(const std::array<CodeRule, N>& rules, int code,
                           std::string_view unknown_cause) {
  for (const auto& rule : rules) {
    if (code >= rule.first && code <= rule.last) {
      return ErrorClassification{rule.action, rule.cause, rule.retry_limit};
    }
  }
  return ErrorClassification{retry_other_sim, unknown_cause, 0};
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string_view to_string(ErrorAction action) {
  switch (action) {
    case ErrorAction::retry_soon:
      return "retry_soon";
    case ErrorAction::retry_other_sim:
      return "retry_other_sim";
    case ErrorAction::permanent:
      return "permanent";
  }
  return "retry_other_sim";
}

std::optional<int> cms_code(const Error& error) { return numeric_suffix(error, "cms."); }
std::optional<int> cme_code(const Error& error) { return numeric_suffix(error, "cme."); }

ErrorClassification classify_send_error(const Error& error) {
  if (const auto code = cms_code(error)) return lookup(kCmsRules, *code, "unlisted CMS error");
  if (const auto code = cme_code(error)) return lookup(kCmeRules, *code, "unlisted CME error");
  const std::string_view code = error.code;
  if (code == "at.timeout") return {retry_other_sim, "the modem did not answer in time"};
  if (code == "at.io" || code == "at.closed") return {retry_other_sim, "the modem port is gone"};
  if (code == "at.error") return {retry_other_sim, "the modem refused the command (ERROR)"};
  if (code == "at.unsupported") return {retry_other_sim, "the modem does not support it"};
  if (starts_with(code, "pdu.")) return {permanent, "the message cannot be encoded"};
  if (starts_with(code, "modem.")) return {retry_other_sim, "the modem cannot send now"};
  return {retry_other_sim, "unclassified failure"};
}

}  // namespace smsgw::modem
