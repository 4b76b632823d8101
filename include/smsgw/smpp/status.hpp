// SMPP 3.4 command_status values (section 5.1.3), the error a response carries.
#pragma once

#include <cstdint>
#include <string>

namespace smsgw::smpp {

// Names are the spec's, lower-cased. Any other 32-bit value may appear on the wire
// (0x400-0x4FF are SMSC vendor codes); the codec keeps it as it is.
enum class CommandStatus : std::uint32_t {
  esme_rok = 0x00000000,               // no error
  esme_rinvmsglen = 0x00000001,        // message length is invalid
  esme_rinvcmdlen = 0x00000002,        // command length is invalid
  esme_rinvcmdid = 0x00000003,         // invalid command id
  esme_rinvbndsts = 0x00000004,        // incorrect bind status for given command
  esme_ralybnd = 0x00000005,           // ESME already in bound state
  esme_rinvprtflg = 0x00000006,        // invalid priority flag
  esme_rinvregdlvflg = 0x00000007,     // invalid registered delivery flag
  esme_rsyserr = 0x00000008,           // system error
  esme_rinvsrcadr = 0x0000000A,        // invalid source address
  esme_rinvdstadr = 0x0000000B,        // invalid destination address
  esme_rinvmsgid = 0x0000000C,         // message id is invalid
  esme_rbindfail = 0x0000000D,         // bind failed
  esme_rinvpaswd = 0x0000000E,         // invalid password
  esme_rinvsysid = 0x0000000F,         // invalid system id
  esme_rcancelfail = 0x00000011,       // cancel_sm failed
  esme_rreplacefail = 0x00000013,      // replace_sm failed
  esme_rmsgqful = 0x00000014,          // message queue full
  esme_rinvsertyp = 0x00000015,        // invalid service type
  esme_rinvnumdests = 0x00000033,      // invalid number of destinations
  esme_rinvdlname = 0x00000034,        // invalid distribution list name
  esme_rinvdestflag = 0x00000040,      // destination flag is invalid (submit_multi)
  esme_rinvsubrep = 0x00000042,        // invalid submit with replace request
  esme_rinvesmclass = 0x00000043,      // invalid esm_class field data
  esme_rcntsubdl = 0x00000044,         // cannot submit to distribution list
  esme_rsubmitfail = 0x00000045,       // submit_sm or submit_multi failed
  esme_rinvsrcton = 0x00000048,        // invalid source address TON
  esme_rinvsrcnpi = 0x00000049,        // invalid source address NPI
  esme_rinvdstton = 0x00000050,        // invalid destination address TON
  esme_rinvdstnpi = 0x00000051,        // invalid destination address NPI
  esme_rinvsystyp = 0x00000053,        // invalid system_type field
  esme_rinvrepflag = 0x00000054,       // invalid replace_if_present flag
  esme_rinvnummsgs = 0x00000055,       // invalid number of messages
  esme_rthrottled = 0x00000058,        // throttling error (ESME exceeded allowed limits)
  esme_rinvsched = 0x00000061,         // invalid scheduled delivery time
  esme_rinvexpiry = 0x00000062,        // invalid message validity period (expiry time)
  esme_rinvdftmsgid = 0x00000063,      // predefined message invalid or not found
  esme_rx_t_appn = 0x00000064,         // ESME receiver temporary app error
  esme_rx_p_appn = 0x00000065,         // ESME receiver permanent app error
  esme_rx_r_appn = 0x00000066,         // ESME receiver reject message error
  esme_rqueryfail = 0x00000067,        // query_sm request failed
  esme_rinvoptparstream = 0x000000C0,  // error in the optional part of the PDU body
  esme_roptparnotallwd = 0x000000C1,   // optional parameter not allowed
  esme_rinvparlen = 0x000000C2,        // invalid parameter length
  esme_rmissingoptparam = 0x000000C3,  // expected optional parameter missing
  esme_rinvoptparamval = 0x000000C4,   // invalid optional parameter value
  esme_rdeliveryfailure = 0x000000FE,  // delivery failure (data_sm_resp)
  esme_runknownerr = 0x000000FF,       // unknown error
  // Not in 3.4, where 0x100-0x3FF are reserved: SMPP 5.0 (section 4.7.6) added it. A 3.4
  // client may not know it, so prefer esme_rsubmitfail when answering one.
  esme_rinvdcs = 0x00000104,  // invalid data coding scheme
};

// The spec's name in upper case ("ESME_RINVCMDLEN"); "ESME_0x%08X" for other values.
std::string to_string(CommandStatus status);

}  // namespace smsgw::smpp
