// The SIM's message memories: "SM" (messages), "ME" (phone), "SR" (status reports).
// Indexes start at `index_base` (0 on Huawei/Quectel, 1 elsewhere). Pure.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smsgw::sim {

// TS 27.005 3.1 <stat> in PDU mode.
enum class MessageStatus { unread = 0, read = 1, unsent = 2, sent = 3 };

struct StoredPdu {
  std::string pdu;              // hex with SMSC field
  std::size_t tpdu_length = 0;  // octets after the SMSC field
  MessageStatus status = MessageStatus::unread;
  std::size_t serial = 0;  // arrival order (oldest first)
};

class MessageStore {
 public:
  MessageStore(int index_base, int sm_capacity, int sr_capacity);

  [[nodiscard]] bool has_memory(std::string_view memory) const;
  [[nodiscard]] int index_base() const { return index_base_; }
  [[nodiscard]] int used(std::string_view memory) const;
  [[nodiscard]] int capacity(std::string_view memory) const;
  // True when `index` names a slot of `memory` (empty or not).
  [[nodiscard]] bool in_range(std::string_view memory, int index) const;

  // Stores in the lowest free slot; nullopt when the memory is full.
  std::optional<int> store(std::string_view memory, StoredPdu message);
  // Like store(), but a full memory first drops its oldest message (SR behaviour).
  int store_evicting_oldest(std::string_view memory, StoredPdu message);

  [[nodiscard]] const StoredPdu* find(std::string_view memory, int index) const;
  void mark_read(std::string_view memory, int index);
  bool remove(std::string_view memory, int index);
  // AT+CMGD <delflag> (TS 27.005 3.5.4): 1 read, 2 read+sent, 3 read+sent+unsent, 4 all.
  void remove_by_flag(std::string_view memory, int flag);

  // Slots in index order; `status` filters (nullopt: all).
  [[nodiscard]] std::vector<std::pair<int, const StoredPdu*>> list(
      std::string_view memory, std::optional<MessageStatus> status) const;

 private:
  struct Memory {
    int capacity = 0;
    std::map<int, StoredPdu> slots;
  };
  Memory* memory(std::string_view name);
  const Memory* memory(std::string_view name) const;

  int index_base_;
  std::map<std::string, Memory, std::less<>> memories_;
  std::size_t next_serial_ = 0;
};

}  // namespace smsgw::sim
