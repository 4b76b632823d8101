// Vendor profiles: what differs between modem families, as data.
// Sources: shared/reference/at-protocol.md (Init, ICCID variants, USSD, Status reports),
// each entry naming the device family it comes from. Unsolicited lines (boot, noise) are
// in the one URC table, smsgw/at/urc_table.hpp.
//
// Pure: no I/O. The modem actor runs the generic init (generic_init_steps()), then the profile's
// CNMI variants and extra commands, reads the ICCID with the profile's commands in order,
// and consults the quirk flags.
#pragma once

#include <span>
#include <string_view>

#include "smsgw/common/result.hpp"
#include "smsgw/modem/text_codec.hpp"

namespace smsgw::modem {

// One init step: the alternatives are tried in order until one answers OK. A required
// step that fails makes the init fail; an optional one is logged and skipped.
struct InitStep {
  std::string_view purpose;
  std::span<const std::string_view> alternatives;
  bool required = false;
  bool after_sim_unlock = true;  // false: runs before the SIM PIN is checked
};

struct Profile {
  std::string_view name;  // "generic", "huawei", ... (config `profile = "..."`)
  // Lower-case fragments matched against the lower-cased AT+CGMI / ATI text.
  std::span<const std::string_view> identifies_by;
  // AT+CNMI settings to try in order (TS 27.005 3.4.1); the first OK wins.
  std::span<const std::string_view> cnmi_variants;
  // Vendor commands sent after the generic init; a failure is logged and ignored.
  std::span<const std::string_view> extra_commands;
  // Commands that report the ICCID, tried in order (parse_iccid reads every reply form).
  std::span<const std::string_view> iccid_commands;
  UssdEncoding ussd_encoding = UssdEncoding::plain;
  // Quectel EC25/EG25: a status report is stored in "SR" but announced as
  // +CDSI: "SM",<n>; the index must be read (and deleted) in "SR".
  bool status_report_announced_in_sm_stored_in_sr = false;
};

// The generic init after ESC / AT / ATE0 (TS 27.007, TS 27.005; Gammu ATGEN_Initialise):
// +CMEE=1 (else =2) before the SIM PIN check; then +CMGF=0 (required), +CSCS="GSM",
// +CSMS=0.
std::span<const InitStep> generic_init_steps();

// Every profile; the first is "generic".
std::span<const Profile> all_profiles();
const Profile& generic_profile();

// The profile named in the config; "auto" is not a name (use detect_profile).
// Error "modem.profile" naming the known profiles.
Result<const Profile*> find_profile(std::string_view name);

// The profile whose fragments occur in `identification` (AT+CGMI and/or ATI text, any
// case); generic when none matches.
const Profile& detect_profile(std::string_view identification);

}  // namespace smsgw::modem
