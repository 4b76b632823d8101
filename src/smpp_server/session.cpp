// The pure SMPP 3.4 session core (session.hpp).
#include "smsgw/smpp_server/session.hpp"

#include <cstdio>
#include <utility>

namespace smsgw::smpp_server {

using smpp::CommandId;
using smpp::CommandStatus;
using smpp::Pdu;

namespace {

constexpr int kMaxRefusedBinds = 3;
// 3.2: sequence_number ranges from 0x00000001 to 0x7FFFFFFF.
constexpr std::uint32_t kMaxSequence = 0x7FFFFFFF;

Action reply(Pdu pdu, std::string reason = {}) {
  Action action;
  action.kind = Action::Kind::reply;
  action.reply = std::move(pdu);
  action.reason = std::move(reason);
  return action;
}

Action close_with(std::optional<Pdu> pdu, std::string reason) {
  Action action;
  action.kind = Action::Kind::close;
  action.reply = std::move(pdu);
  action.reason = std::move(reason);
  return action;
}

std::optional<smpp::BindMode> bind_mode(CommandId id) {
  switch (id) {
    case CommandId::bind_transmitter:
      return smpp::BindMode::transmitter;
    case CommandId::bind_receiver:
      return smpp::BindMode::receiver;
    case CommandId::bind_transceiver:
      return smpp::BindMode::transceiver;
    default:
      return std::nullopt;
  }
}

CommandId bind_resp_id(smpp::BindMode mode) {
  switch (mode) {
    case smpp::BindMode::transmitter:
      return CommandId::bind_transmitter_resp;
    case smpp::BindMode::receiver:
      return CommandId::bind_receiver_resp;
    case smpp::BindMode::transceiver:
      break;
  }
  return CommandId::bind_transceiver_resp;
}

// The requests this server answers (the rest get generic_nack ESME_RINVCMDID).
bool is_accepted_request(CommandId id) {
  switch (id) {
    case CommandId::bind_transmitter:
    case CommandId::bind_receiver:
    case CommandId::bind_transceiver:
    case CommandId::submit_sm:
    case CommandId::unbind:
    case CommandId::enquire_link:
      return true;
    default:
      return false;
  }
}

std::string status_text(CommandStatus status) { return smpp::to_string(status); }

std::string hex32(std::uint32_t value) {
  char text[12];
  std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(value));
  return text;
}

}  // namespace

std::string_view to_string(BindState state) {
  switch (state) {
    case BindState::open:
      return "open";
    case BindState::bound_tx:
      return "bound_tx";
    case BindState::bound_rx:
      return "bound_rx";
    case BindState::bound_trx:
      return "bound_trx";
    case BindState::unbinding:
      return "unbinding";
    case BindState::closed:
      break;
  }
  return "closed";
}

std::string_view to_string(smpp::BindMode mode) {
  switch (mode) {
    case smpp::BindMode::transmitter:
      return "transmitter";
    case smpp::BindMode::receiver:
      return "receiver";
    case smpp::BindMode::transceiver:
      break;
  }
  return "transceiver";
}

Session::Session(SessionOptions options, Clock::time_point now)
    : options_(std::move(options)), connected_at_(now), last_received_(now) {}

bool Session::bound() const {
  return state_ == BindState::bound_tx || state_ == BindState::bound_rx ||
         state_ == BindState::bound_trx;
}

bool Session::receives() const {
  return state_ == BindState::bound_rx || state_ == BindState::bound_trx;
}

std::uint32_t Session::next_sequence() {
  last_sequence_ = last_sequence_ >= kMaxSequence ? 1 : last_sequence_ + 1;
  return last_sequence_;
}

Action Session::framing_failed(const smpp::Failure& failure) {
  state_ = BindState::closed;
  return close_with(make_pdu(CommandId::generic_nack, failure.status, 0),
                    "framing lost: " + failure.message);
}

Action Session::receive(std::span<const std::uint8_t> octets, Clock::time_point now) {
  last_received_ = now;
  if (state_ == BindState::closed) return {};
  auto decoded = smpp::decode(octets);
  if (!decoded) return on_decode_failure(octets, decoded.error());
  const Pdu& pdu = *decoded;
  if (smpp::is_response(pdu.command_id)) {
    return on_response(pdu.command_id, pdu.command_status, pdu.sequence_number);
  }
  return on_request(pdu);
}

Action Session::on_decode_failure(std::span<const std::uint8_t> octets,
                                  const smpp::Failure& failure) {
  const auto header = smpp::decode_header(octets);
  if (!header) return framing_failed(header.error());
  const auto id = static_cast<CommandId>(header->command_id);
  const std::uint32_t sequence = header->sequence_number;
  if (smpp::is_supported(id) && smpp::is_response(id) && id != CommandId::generic_nack) {
    // A response with a broken body: what matters is in its header.
    return on_response(id, static_cast<CommandStatus>(header->command_status), sequence);
  }
  if (!smpp::is_supported(id) || !is_accepted_request(id)) {
    return reply(make_pdu(CommandId::generic_nack, CommandStatus::esme_rinvcmdid, sequence),
                 "command_id " + hex32(header->command_id) + " (" +
                     std::string(smpp::to_string(id)) + ") is not accepted");
  }
  return reply(make_pdu(smpp::response_to(id), failure.status, sequence),
               std::string(smpp::to_string(id)) + " refused " + status_text(failure.status) + ": " +
                   failure.message);
}

Action Session::on_request(const Pdu& pdu) {
  const CommandId id = pdu.command_id;
  const std::uint32_t sequence = pdu.sequence_number;
  const auto refuse = [&](CommandStatus status, std::string why) {
    return reply(make_pdu(smpp::response_to(id), status, sequence),
                 std::string(smpp::to_string(id)) + " refused " + status_text(status) + ": " +
                     std::move(why));
  };
  if (!is_accepted_request(id)) {
    return reply(make_pdu(CommandId::generic_nack, CommandStatus::esme_rinvcmdid, sequence),
                 std::string(smpp::to_string(id)) + " is not accepted from a client");
  }
  if (const auto mode = bind_mode(id)) {
    if (state_ != BindState::open) {
      return refuse(CommandStatus::esme_ralybnd,
                    "the session is already " + std::string(to_string(state_)));
    }
    const auto& body = std::get<smpp::BindBody>(pdu.body);
    bind_interface_version_ = body.interface_version;
    Action action;
    action.kind = Action::Kind::authenticate;
    action.sequence = sequence;
    action.bind.system_id = body.system_id;
    action.bind.password = body.password;
    action.bind.mode = *mode;
    return action;
  }
  if (id == CommandId::enquire_link) {
    if (!bound() && state_ != BindState::unbinding) {
      return refuse(CommandStatus::esme_rinvbndsts, "enquire_link before a bind");
    }
    return reply(make_pdu(CommandId::enquire_link_resp, CommandStatus::esme_rok, sequence));
  }
  if (id == CommandId::unbind) {
    if (!bound()) {
      return refuse(CommandStatus::esme_rinvbndsts,
                    "unbind in state " + std::string(to_string(state_)));
    }
    state_ = BindState::unbinding;
    unbind_sequence_ = sequence;
    return {};
  }
  // submit_sm (4.4): bound as transmitter or transceiver, and a place in the window.
  if (state_ != BindState::bound_tx && state_ != BindState::bound_trx) {
    return refuse(CommandStatus::esme_rinvbndsts,
                  "submit_sm in state " + std::string(to_string(state_)));
  }
  if (server_unbind_) return refuse(CommandStatus::esme_rinvbndsts, "the server is unbinding");
  if (submits_outstanding_ >= options_.window) {
    return refuse(CommandStatus::esme_rthrottled,
                  "already " + std::to_string(submits_outstanding_) +
                      " submit_sm outstanding, the window is " + std::to_string(options_.window));
  }
  ++submits_outstanding_;
  Action action;
  action.kind = Action::Kind::submit;
  action.sequence = sequence;
  action.message = std::get<smpp::MessageBody>(pdu.body);
  return action;
}

Action Session::on_response(CommandId id, CommandStatus status, std::uint32_t sequence) {
  if (enquire_sequence_ && *enquire_sequence_ == sequence &&
      (id == CommandId::enquire_link_resp || id == CommandId::generic_nack)) {
    enquire_sequence_.reset();
    return {};
  }
  if (server_unbind_sequence_ && *server_unbind_sequence_ == sequence &&
      (id == CommandId::unbind_resp || id == CommandId::generic_nack)) {
    unbind_answered_ = true;
    return {};
  }
  if (id == CommandId::deliver_sm_resp || id == CommandId::generic_nack) {
    const auto found = deliveries_.find(sequence);
    if (found == deliveries_.end()) return {};
    Action action;
    const bool ok = id == CommandId::deliver_sm_resp && status == CommandStatus::esme_rok;
    action.kind = ok ? Action::Kind::delivered : Action::Kind::refused;
    action.delivery = found->second;
    // A generic_nack that carries ESME_ROK still refuses: count it as a system error.
    action.status = ok || status != CommandStatus::esme_rok ? status : CommandStatus::esme_rsyserr;
    action.sequence = sequence;
    deliveries_.erase(found);
    return action;
  }
  return {};  // a response to nothing this server sent
}

Action Session::bind_checked(std::uint32_t sequence, smpp::BindMode mode,
                             const smpp::Outcome<smpp::Account>& account) {
  const CommandId resp = bind_resp_id(mode);
  if (!account) {
    ++refused_binds_;
    Pdu pdu = make_pdu(resp, account.error().status, sequence);
    std::string reason = "bind_" + std::string(to_string(mode)) + " refused " +
                         status_text(account.error().status) + ": " + account.error().message;
    if (refused_binds_ >= kMaxRefusedBinds) {
      state_ = BindState::closed;
      return close_with(std::move(pdu),
                        std::to_string(refused_binds_) + " refused binds; last: " + reason);
    }
    return reply(std::move(pdu), std::move(reason));
  }
  if (state_ != BindState::open) {
    return reply(make_pdu(resp, CommandStatus::esme_ralybnd, sequence), "already bound");
  }
  account_ = *account;
  mode_ = mode;
  state_ = mode == smpp::BindMode::transmitter ? BindState::bound_tx
           : mode == smpp::BindMode::receiver  ? BindState::bound_rx
                                               : BindState::bound_trx;
  Pdu pdu = make_pdu(resp, CommandStatus::esme_rok, sequence);
  auto& body = std::get<smpp::BindRespBody>(pdu.body);
  body.system_id = options_.system_id;
  // 5.3.2.25: sc_interface_version only to a client that speaks 3.4 (a 3.3 client may not
  // parse TLVs).
  if (bind_interface_version_ >= 0x34) body.tlvs.set_sc_interface_version(0x34);
  return reply(std::move(pdu));
}

Pdu Session::submit_answered(std::uint32_t sequence, const smpp::Outcome<std::string>& message_id) {
  if (submits_outstanding_ > 0) --submits_outstanding_;
  if (!message_id) return make_pdu(CommandId::submit_sm_resp, message_id.error().status, sequence);
  Pdu pdu = make_pdu(CommandId::submit_sm_resp, CommandStatus::esme_rok, sequence);
  std::get<smpp::MessageRespBody>(pdu.body).message_id = *message_id;
  return pdu;
}

std::optional<Pdu> Session::take_unbind_resp() {
  if (!unbind_sequence_ || submits_outstanding_ > 0) return std::nullopt;
  const std::uint32_t sequence = *unbind_sequence_;
  unbind_sequence_.reset();
  state_ = BindState::closed;
  return make_pdu(CommandId::unbind_resp, CommandStatus::esme_rok, sequence);
}

void Session::begin_server_unbind() { server_unbind_ = true; }

std::optional<Pdu> Session::unbind_request() {
  if (!server_unbind_ || !bound() || submits_outstanding_ > 0 || server_unbind_sequence_) {
    return std::nullopt;
  }
  server_unbind_sequence_ = next_sequence();
  return make_pdu(CommandId::unbind, CommandStatus::esme_rok, *server_unbind_sequence_);
}

Pdu Session::deliver(const smpp::Delivery& delivery) {
  const std::uint32_t sequence = next_sequence();
  deliveries_[sequence] = delivery.id;
  Pdu pdu = make_pdu(CommandId::deliver_sm, CommandStatus::esme_rok, sequence);
  pdu.body = delivery.body;
  return pdu;
}

std::size_t Session::deliver_window_free() const {
  if (!receives() || server_unbind_ || !account_ || !account_->may_receive) return 0;
  return deliveries_.size() >= options_.window ? 0 : options_.window - deliveries_.size();
}

std::vector<std::int64_t> Session::unanswered_deliveries() const {
  std::vector<std::int64_t> ids;
  ids.reserve(deliveries_.size());
  for (const auto& [sequence, id] : deliveries_) ids.push_back(id);
  return ids;
}

Tick Session::tick(Clock::time_point now) {
  Tick tick;
  if (state_ == BindState::closed) return tick;
  const auto& interval = options_.enquire_link_interval;
  const auto& timeout = options_.enquire_link_timeout;
  if (state_ == BindState::unbinding) {
    if (now - last_received_ >= interval + timeout) tick.close = "the unbind did not complete";
    return tick;
  }
  if (state_ == BindState::open) {
    if (now - connected_at_ >= interval + timeout) {
      tick.close =
          "no bind within " +
          std::to_string(
              std::chrono::duration_cast<std::chrono::milliseconds>(interval + timeout).count()) +
          " ms of connecting";
    }
    return tick;
  }
  if (enquire_sequence_) {
    if (now - enquire_sent_at_ >= timeout) {
      tick.close =
          "no enquire_link_resp within " +
          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()) +
          " ms";
    }
    return tick;
  }
  if (bound() && now - last_received_ >= interval) {
    enquire_sequence_ = next_sequence();
    enquire_sent_at_ = now;
    tick.enquire_link =
        make_pdu(CommandId::enquire_link, CommandStatus::esme_rok, *enquire_sequence_);
  }
  return tick;
}

Clock::time_point Session::next_deadline() const {
  const auto& interval = options_.enquire_link_interval;
  const auto& timeout = options_.enquire_link_timeout;
  if (state_ == BindState::open) return connected_at_ + interval + timeout;
  if (enquire_sequence_) return enquire_sent_at_ + timeout;
  if (bound()) return last_received_ + interval;
  // unbinding: the client's unbind or the server's wait for submits; supervise the answer.
  return last_received_ + interval + timeout;
}

}  // namespace smsgw::smpp_server
