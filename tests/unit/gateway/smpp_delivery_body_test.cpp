// delivery_body(): the deliver_sm of a stored inbound row always has a destination_addr
// (Kannel 1.4.5 refuses one without: ESME_RINVDSTADR, found by tests/integration/kannel).
#include <gtest/gtest.h>

#include "smsgw/gateway/smpp_backend.hpp"

namespace smsgw::gateway {
namespace {

store::SmppDelivery inbound_row(std::string recipient) {
  store::SmppDelivery delivery;
  delivery.kind = store::SmppDeliveryKind::inbound;
  delivery.inbound = store::SmppInboundRow{};
  delivery.inbound->sender = "+491701234567";
  delivery.inbound->text = "hello";
  delivery.inbound->modem = "modem0";
  delivery.inbound->recipient = std::move(recipient);
  return delivery;
}

TEST(SmppDeliveryBody, InboundGoesToTheSimsNumber) {
  const auto body = delivery_body(inbound_row("+4915100000001"));
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(body->destination_addr, "4915100000001");
  EXPECT_EQ(body->dest_addr_ton, 1);
  EXPECT_EQ(body->source_addr, "491701234567");
}

TEST(SmppDeliveryBody, WithoutTheSimsNumberTheModemIdStandsIn) {
  const auto body = delivery_body(inbound_row(""));
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(body->destination_addr, "modem0");
  EXPECT_EQ(body->dest_addr_ton, 5);  // alphanumeric
  EXPECT_EQ(body->dest_addr_npi, 0);
}

}  // namespace
}  // namespace smsgw::gateway
