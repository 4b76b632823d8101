// Fuzzes the SMPP 3.4 codec: the input is a byte stream fed to smpp::Framer in chunks
// whose sizes come from the first octet; every whole PDU is decoded, and what decodes is
// re-encoded and must decode again to the same value and re-encode to the same octets.
// Every decoded submit_sm also goes through map_submit(); an accepted one must keep
// SubmitSpec's contract (UTF-8 text, a part's once its surrogate halves are joined, a
// valid part, priority 0-3, registered_delivery 0-2) and its text must make a deliver_sm
// (inbound_deliver) and a receipt that encode, the text reading back the same through
// map_submit.
// Invariants: no crash, no read past the end (ASan), failures carry a non-zero status.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "smsgw/smpp/deliveries.hpp"
#include "smsgw/smpp/framer.hpp"
#include "smsgw/smpp/pdu.hpp"
#include "smsgw/smpp/submit_spec.hpp"

namespace {

using namespace smsgw;

// A fixed "now" (2026-12-05 07:50 UTC) so that a crash reproduces.
const smpp::TimePoint kNow{std::chrono::seconds(1796457000)};

bool encodes_as_deliver_sm(const smpp::MessageBody& body) {
  return smpp::encode(
             smpp::Pdu{smpp::CommandId::deliver_sm, smpp::CommandStatus::esme_rok, 1, body})
      .ok();
}

void check_submit(const smpp::MessageBody& submit) {
  auto spec = smpp::map_submit(submit, kNow);
  if (!spec) {
    fuzz::require(spec.error().status != smpp::CommandStatus::esme_rok,
                  "a map_submit refusal with status ESME_ROK");
    fuzz::require(!spec.error().field.empty(), "a map_submit refusal names no field");
    fuzz::require(!spec.error().message.empty(), "a map_submit refusal gives no reason");
    return;
  }
  // A part's text may hold a WTF-8 surrogate half at either end (a pair split between two
  // UCS-2 parts); the assembled message's text (join_surrogate_halves) is UTF-8.
  const std::string text = spec->part ? smpp::join_surrogate_halves(spec->text) : spec->text;
  fuzz::require(fuzz::is_valid_utf8(text), "map_submit text is not UTF-8");
  fuzz::require(!spec->to.empty(), "map_submit accepted an empty destination");
  fuzz::require(spec->priority >= 0 && spec->priority <= 3, "priority outside 0-3");
  fuzz::require(spec->registered_delivery <= 2, "registered_delivery outside 0-2");
  fuzz::require(!spec->validity || *spec->validity >= std::chrono::seconds(1),
                "a validity under one second");
  if (spec->part) {
    fuzz::require(
        spec->part->total >= 2 && spec->part->seq >= 1 && spec->part->seq <= spec->part->total,
        "a ClientPart outside 1 <= seq <= total, total >= 2");
  }

  // The text as a received message: a deliver_sm that encodes and reads back the same.
  const auto inbound = smpp::inbound_deliver({"+4917612345678", "+4915112345678", text});
  fuzz::require(encodes_as_deliver_sm(inbound), "an inbound_deliver body does not encode");
  const auto payload = inbound.tlvs.message_payload();
  const std::size_t octets = payload ? payload->size() : inbound.short_message.size();
  if (octets < 65532) {  // not cut at the TLV's limit
    auto back = smpp::map_submit(inbound, kNow);
    fuzz::require(back.ok() && back->text == text,
                  "inbound_deliver's text does not read back through map_submit");
  }

  smpp::ReceiptFacts facts;
  facts.message_id = "01JF3Z8W5Q4T9KXN2M7B6C1D0E";
  facts.status = "delivered";
  facts.submitted_at = kNow;
  facts.done_at = kNow;
  facts.text = text;
  facts.source_addr = spec->source_addr;
  facts.source_ton = spec->source_ton;
  facts.source_npi = spec->source_npi;
  facts.dest_addr = spec->dest_addr;
  facts.dest_ton = spec->dest_ton;
  facts.dest_npi = spec->dest_npi;
  fuzz::require(encodes_as_deliver_sm(smpp::delivery_receipt(facts)),
                "a delivery_receipt body does not encode");
}

void check_pdu(const std::vector<std::uint8_t>& octets) {
  auto header = smpp::decode_header(octets);
  fuzz::require(header.ok(), "the framer yielded a PDU shorter than its header");
  fuzz::require(header->command_length == octets.size(), "frame size != command_length");
  auto decoded = smpp::decode(octets);
  if (!decoded) {
    fuzz::require(decoded.error().status != smpp::CommandStatus::esme_rok,
                  "a decode failure with status ESME_ROK");
    fuzz::require(!decoded.error().field.empty(), "a decode failure names no field");
    return;
  }
  if (decoded->command_id == smpp::CommandId::submit_sm) {
    check_submit(std::get<smpp::MessageBody>(decoded->body));
  }
  auto encoded = smpp::encode(*decoded);
  fuzz::require(encoded.ok(), "a decoded PDU does not encode");
  auto again = smpp::decode(*encoded);
  fuzz::require(again.ok(), "a re-encoded PDU does not decode");
  fuzz::require(*again == *decoded, "decode(encode(pdu)) != pdu");
  auto twice = smpp::encode(*again);
  fuzz::require(twice.ok() && *twice == *encoded, "encoding is not stable");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = static_cast<std::size_t>(data[0] % 32) + 1;
  std::span<const std::uint8_t> stream(data + 1, size - 1);

  // The whole input as one PDU, without the framer.
  if (smpp::decode(stream).ok()) check_pdu(std::vector<std::uint8_t>(stream.begin(), stream.end()));

  smpp::Framer framer(4096);
  std::size_t yielded = 0;
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    framer.feed(stream.subspan(at, std::min(chunk, stream.size() - at)));
    for (;;) {
      auto next = framer.next();
      if (!next) {
        fuzz::require(next.error().status == smpp::CommandStatus::esme_rinvcmdlen,
                      "a framing failure that is not ESME_RINVCMDLEN");
        return 0;
      }
      if (!next->has_value()) break;
      yielded += (*next)->size();
      check_pdu(**next);
    }
  }
  fuzz::require(yielded + framer.buffered() == stream.size(), "the framer lost octets");
  return 0;
}
