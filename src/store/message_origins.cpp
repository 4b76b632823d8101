// Store: the origins of SMPP and sendsms submissions (table message_origins; written by
// insert_one in the submission's transaction).
#include "smsgw/store/store.hpp"
#include "store_impl.hpp"

namespace smsgw::store {

Result<std::optional<MessageOrigin>> Store::message_origin(const std::string& id) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT o.protocol, o.registered_delivery, o.source_addr, "
                            "o.source_ton, o.source_npi, o.dest_addr, o.dest_ton, o.dest_npi, "
                            "o.dlr_url, o.dlr_mask, m.id FROM messages m LEFT JOIN "
                            "message_origins o ON o.message_id = m.id WHERE m.id = ?"));
  query->bind(1, id);
  STORE_TRY_ASSIGN(const bool row, query->step());
  if (!row) return make_error(ErrorCode::not_found, "message " + id + " does not exist");
  if (!query->optional_text(0)) return std::optional<MessageOrigin>{};
  const auto octet = [&](int column) { return static_cast<std::uint8_t>(query->integer(column)); };
  MessageOrigin origin;
  origin.protocol = query->text(0);
  origin.registered_delivery = octet(1);
  origin.source_addr = query->text(2);
  origin.source_ton = octet(3);
  origin.source_npi = octet(4);
  origin.dest_addr = query->text(5);
  origin.dest_ton = octet(6);
  origin.dest_npi = octet(7);
  origin.dlr_url = query->text(8);
  origin.dlr_mask = static_cast<std::uint32_t>(query->integer(9));
  return std::optional<MessageOrigin>{std::move(origin)};
}

}  // namespace smsgw::store
