// TS 23.040 9.2.2.2: SMS-SUBMIT.
#include "fields.hpp"
#include "segmentation.hpp"
#include "tpdu.hpp"
#include "user_data.hpp"

namespace smsgw::pdu {

Result<EncodedSubmit> encode_submit(std::string_view to, std::string_view utf8_text,
                                    const SubmitOptions& options) {
  PDU_TRY(address, parse_address(to));
  PDU_TRY(plan, detail::plan_text(utf8_text, options.encoding, options.national_languages,
                                  options.max_parts));
  const auto parts = detail::build_user_data(plan, options.concat_reference);
  const bool national =
      plan.encoding == Encoding::gsm7 && (plan.single_shift || plan.locking_shift);
  const bool has_header = parts.size() > 1 || national;

  std::uint8_t first_octet = detail::kMtiSubmit;
  if (options.reject_duplicates) first_octet |= detail::kRejectDuplicates;
  if (options.validity) first_octet |= detail::kVpfRelative;
  if (options.status_report) first_octet |= detail::kStatusReportFlag;
  if (has_header) first_octet |= detail::kUdhi;
  const std::uint8_t dcs =
      detail::make_dcs(plan.encoding, options.flash ? std::optional<int>(0) : std::nullopt);

  EncodedSubmit result;
  result.encoding = plan.encoding;
  if (national) {
    result.single_shift = plan.single_shift;
    result.locking_shift = plan.locking_shift;
  }
  for (const auto& part : parts) {
    Bytes tpdu{first_octet, options.message_reference};
    detail::append_tp_address(tpdu, address);
    tpdu.push_back(0x00);  // TP-PID: default (9.2.3.9)
    tpdu.push_back(dcs);
    if (options.validity) tpdu.push_back(detail::relative_validity_octet(*options.validity));
    tpdu.push_back(part.length);
    tpdu.insert(tpdu.end(), part.user_data.begin(), part.user_data.end());
    result.parts.push_back(SubmitPart{"00" + to_hex(tpdu), tpdu.size()});
  }
  return result;
}

namespace detail {

Result<Submit> read_submit(OctetReader& reader, std::uint8_t first_octet) {
  Submit submit;
  submit.reject_duplicates = first_octet & kRejectDuplicates;
  submit.status_report_request = first_octet & kStatusReportFlag;
  PDU_TRY(reference, reader.octet("TP-MR"));
  submit.message_reference = reference;
  PDU_TRY(to, read_tp_address(reader, "TP-DA"));
  submit.to = std::move(to);
  PDU_TRY(pid, reader.octet("TP-PID"));
  submit.protocol_id = pid;
  PDU_TRY(dcs, reader.octet("TP-DCS"));
  submit.dcs = dcs;
  switch (first_octet & kVpfMask) {
    case 0x10: {  // relative (9.2.3.12.1)
      PDU_TRY(vp, reader.octet("TP-VP"));
      submit.validity = relative_validity_period(vp);
      break;
    }
    case 0x08:    // enhanced (9.2.3.12.3)
    case 0x18: {  // absolute (9.2.3.12.2)
      PDU_TRY(vp, reader.octets(7, "TP-VP"));
      (void)vp;
      break;
    }
    default:
      break;
  }
  PDU_TRY(user_data, read_user_data(reader, dcs, first_octet & kUdhi));
  submit.user_data = std::move(user_data);
  return submit;
}

}  // namespace detail
}  // namespace smsgw::pdu
