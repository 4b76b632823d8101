// TS 23.040 9.2.2.1: SMS-DELIVER.
#include "fields.hpp"
#include "segmentation.hpp"
#include "tpdu.hpp"
#include "user_data.hpp"

namespace smsgw::pdu {

Result<std::vector<std::string>> encode_deliver(std::string_view from, std::string_view utf8_text,
                                                const DeliverOptions& options) {
  PDU_TRY(address, parse_address(from));
  std::optional<Address> smsc;
  if (!options.smsc.empty()) {
    PDU_TRY(parsed, parse_address(options.smsc));
    if (parsed.type == Address::Type::alphanumeric) {
      return make_error(ErrorCode::pdu_bad_address,
                        "SMSC \"" + options.smsc + "\" must be a number");
    }
    smsc = std::move(parsed);
  }
  PDU_TRY(plan, detail::plan_text(utf8_text, options.encoding, options.national_languages,
                                  options.max_parts));
  const auto parts = detail::build_user_data(plan, options.concat_reference);
  const bool national =
      plan.encoding == Encoding::gsm7 && (plan.single_shift || plan.locking_shift);

  std::uint8_t first_octet = detail::kMtiDeliver | detail::kMoreMessagesToSend;
  if (parts.size() > 1 || national) first_octet |= detail::kUdhi;
  std::optional<int> message_class;
  if (options.message_class) message_class = *options.message_class & 0x03;

  std::vector<std::string> pdus;
  for (const auto& part : parts) {
    Bytes pdu;
    detail::append_smsc_address(pdu, smsc ? &*smsc : nullptr);
    pdu.push_back(first_octet);
    detail::append_tp_address(pdu, address);
    pdu.push_back(0x00);  // TP-PID
    pdu.push_back(detail::make_dcs(plan.encoding, message_class));
    detail::append_timestamp(pdu, options.scts);
    pdu.push_back(part.length);
    pdu.insert(pdu.end(), part.user_data.begin(), part.user_data.end());
    pdus.push_back(to_hex(pdu));
  }
  return pdus;
}

namespace detail {

Result<Deliver> read_deliver(OctetReader& reader, std::uint8_t first_octet) {
  Deliver deliver;
  deliver.status_report_indication = first_octet & kStatusReportFlag;
  PDU_TRY(from, read_tp_address(reader, "TP-OA"));
  deliver.from = std::move(from);
  PDU_TRY(pid, reader.octet("TP-PID"));
  deliver.protocol_id = pid;
  PDU_TRY(dcs, reader.octet("TP-DCS"));
  deliver.dcs = dcs;
  PDU_TRY(scts, read_timestamp(reader, "TP-SCTS"));
  deliver.scts = scts;
  PDU_TRY(user_data, read_user_data(reader, dcs, first_octet & kUdhi));
  deliver.user_data = std::move(user_data);
  return deliver;
}

}  // namespace detail
}  // namespace smsgw::pdu
