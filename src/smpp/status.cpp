// Names of the SMPP 3.4 command_status values (section 5.1.3) and Failure::to_error.
#include "smsgw/smpp/status.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

#include "smsgw/smpp/failure.hpp"

namespace smsgw::smpp {
namespace {

using S = CommandStatus;
constexpr std::array<std::pair<S, const char*>, 49> kNames = {{
    {S::esme_rok, "ESME_ROK"},
    {S::esme_rinvmsglen, "ESME_RINVMSGLEN"},
    {S::esme_rinvcmdlen, "ESME_RINVCMDLEN"},
    {S::esme_rinvcmdid, "ESME_RINVCMDID"},
    {S::esme_rinvbndsts, "ESME_RINVBNDSTS"},
    {S::esme_ralybnd, "ESME_RALYBND"},
    {S::esme_rinvprtflg, "ESME_RINVPRTFLG"},
    {S::esme_rinvregdlvflg, "ESME_RINVREGDLVFLG"},
    {S::esme_rsyserr, "ESME_RSYSERR"},
    {S::esme_rinvsrcadr, "ESME_RINVSRCADR"},
    {S::esme_rinvdstadr, "ESME_RINVDSTADR"},
    {S::esme_rinvmsgid, "ESME_RINVMSGID"},
    {S::esme_rbindfail, "ESME_RBINDFAIL"},
    {S::esme_rinvpaswd, "ESME_RINVPASWD"},
    {S::esme_rinvsysid, "ESME_RINVSYSID"},
    {S::esme_rcancelfail, "ESME_RCANCELFAIL"},
    {S::esme_rreplacefail, "ESME_RREPLACEFAIL"},
    {S::esme_rmsgqful, "ESME_RMSGQFUL"},
    {S::esme_rinvsertyp, "ESME_RINVSERTYP"},
    {S::esme_rinvnumdests, "ESME_RINVNUMDESTS"},
    {S::esme_rinvdlname, "ESME_RINVDLNAME"},
    {S::esme_rinvdestflag, "ESME_RINVDESTFLAG"},
    {S::esme_rinvsubrep, "ESME_RINVSUBREP"},
    {S::esme_rinvesmclass, "ESME_RINVESMCLASS"},
    {S::esme_rcntsubdl, "ESME_RCNTSUBDL"},
    {S::esme_rsubmitfail, "ESME_RSUBMITFAIL"},
    {S::esme_rinvsrcton, "ESME_RINVSRCTON"},
    {S::esme_rinvsrcnpi, "ESME_RINVSRCNPI"},
    {S::esme_rinvdstton, "ESME_RINVDSTTON"},
    {S::esme_rinvdstnpi, "ESME_RINVDSTNPI"},
    {S::esme_rinvsystyp, "ESME_RINVSYSTYP"},
    {S::esme_rinvrepflag, "ESME_RINVREPFLAG"},
    {S::esme_rinvnummsgs, "ESME_RINVNUMMSGS"},
    {S::esme_rthrottled, "ESME_RTHROTTLED"},
    {S::esme_rinvsched, "ESME_RINVSCHED"},
    {S::esme_rinvexpiry, "ESME_RINVEXPIRY"},
    {S::esme_rinvdftmsgid, "ESME_RINVDFTMSGID"},
    {S::esme_rx_t_appn, "ESME_RX_T_APPN"},
    {S::esme_rx_p_appn, "ESME_RX_P_APPN"},
    {S::esme_rx_r_appn, "ESME_RX_R_APPN"},
    {S::esme_rqueryfail, "ESME_RQUERYFAIL"},
    {S::esme_rinvoptparstream, "ESME_RINVOPTPARSTREAM"},
    {S::esme_roptparnotallwd, "ESME_ROPTPARNOTALLWD"},
    {S::esme_rinvparlen, "ESME_RINVPARLEN"},
    {S::esme_rmissingoptparam, "ESME_RMISSINGOPTPARAM"},
    {S::esme_rinvoptparamval, "ESME_RINVOPTPARAMVAL"},
    {S::esme_rdeliveryfailure, "ESME_RDELIVERYFAILURE"},
    {S::esme_runknownerr, "ESME_RUNKNOWNERR"},
    {S::esme_rinvdcs, "ESME_RINVDCS"},
}};

}  // namespace

std::string to_string(CommandStatus status) {
  for (const auto& [value, name] : kNames) {
    if (value == status) return name;
  }
  char text[24];
  std::snprintf(text, sizeof text, "ESME_0x%08X", static_cast<unsigned>(status));
  return text;
}

Error Failure::to_error() const {
  std::string code = "smpp." + to_string(status);
  for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return make_error(std::move(code), message);
}

}  // namespace smsgw::smpp
