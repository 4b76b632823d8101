// Names of the SMPP 3.4 command ids (section 5.1.2.1).
#include "smsgw/smpp/command.hpp"

namespace smsgw::smpp {

bool is_supported(CommandId id) {
  switch (id) {
    case CommandId::generic_nack:
    case CommandId::bind_receiver:
    case CommandId::bind_receiver_resp:
    case CommandId::bind_transmitter:
    case CommandId::bind_transmitter_resp:
    case CommandId::bind_transceiver:
    case CommandId::bind_transceiver_resp:
    case CommandId::submit_sm:
    case CommandId::submit_sm_resp:
    case CommandId::deliver_sm:
    case CommandId::deliver_sm_resp:
    case CommandId::unbind:
    case CommandId::unbind_resp:
    case CommandId::enquire_link:
    case CommandId::enquire_link_resp:
      return true;
    default:
      return false;
  }
}

std::string_view to_string(CommandId id) {
  switch (id) {
    case CommandId::generic_nack:
      return "generic_nack";
    case CommandId::bind_receiver:
      return "bind_receiver";
    case CommandId::bind_receiver_resp:
      return "bind_receiver_resp";
    case CommandId::bind_transmitter:
      return "bind_transmitter";
    case CommandId::bind_transmitter_resp:
      return "bind_transmitter_resp";
    case CommandId::query_sm:
      return "query_sm";
    case CommandId::query_sm_resp:
      return "query_sm_resp";
    case CommandId::submit_sm:
      return "submit_sm";
    case CommandId::submit_sm_resp:
      return "submit_sm_resp";
    case CommandId::deliver_sm:
      return "deliver_sm";
    case CommandId::deliver_sm_resp:
      return "deliver_sm_resp";
    case CommandId::unbind:
      return "unbind";
    case CommandId::unbind_resp:
      return "unbind_resp";
    case CommandId::replace_sm:
      return "replace_sm";
    case CommandId::replace_sm_resp:
      return "replace_sm_resp";
    case CommandId::cancel_sm:
      return "cancel_sm";
    case CommandId::cancel_sm_resp:
      return "cancel_sm_resp";
    case CommandId::bind_transceiver:
      return "bind_transceiver";
    case CommandId::bind_transceiver_resp:
      return "bind_transceiver_resp";
    case CommandId::outbind:
      return "outbind";
    case CommandId::enquire_link:
      return "enquire_link";
    case CommandId::enquire_link_resp:
      return "enquire_link_resp";
    case CommandId::submit_multi:
      return "submit_multi";
    case CommandId::submit_multi_resp:
      return "submit_multi_resp";
    case CommandId::alert_notification:
      return "alert_notification";
    case CommandId::data_sm:
      return "data_sm";
    case CommandId::data_sm_resp:
      return "data_sm_resp";
  }
  return "unknown";
}

}  // namespace smsgw::smpp
