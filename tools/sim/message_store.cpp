#include "message_store.hpp"

namespace smsgw::sim {

MessageStore::MessageStore(int index_base, int sm_capacity, int sr_capacity)
    : index_base_(index_base) {
  memories_["SM"].capacity = sm_capacity;
  memories_["ME"].capacity = sm_capacity;
  memories_["SR"].capacity = sr_capacity;
}

MessageStore::Memory* MessageStore::memory(std::string_view name) {
  auto it = memories_.find(name);
  return it == memories_.end() ? nullptr : &it->second;
}

const MessageStore::Memory* MessageStore::memory(std::string_view name) const {
  auto it = memories_.find(name);
  return it == memories_.end() ? nullptr : &it->second;
}

bool MessageStore::has_memory(std::string_view name) const { return memory(name) != nullptr; }

int MessageStore::used(std::string_view name) const {
  const Memory* m = memory(name);
  return m ? static_cast<int>(m->slots.size()) : 0;
}

int MessageStore::capacity(std::string_view name) const {
  const Memory* m = memory(name);
  return m ? m->capacity : 0;
}

bool MessageStore::in_range(std::string_view name, int index) const {
  const Memory* m = memory(name);
  return m && index >= index_base_ && index < index_base_ + m->capacity;
}

std::optional<int> MessageStore::store(std::string_view name, StoredPdu message) {
  Memory* m = memory(name);
  if (!m) return std::nullopt;
  for (int index = index_base_; index < index_base_ + m->capacity; ++index) {
    if (!m->slots.contains(index)) {
      message.serial = next_serial_++;
      m->slots.emplace(index, std::move(message));
      return index;
    }
  }
  return std::nullopt;
}

int MessageStore::store_evicting_oldest(std::string_view name, StoredPdu message) {
  if (auto index = store(name, message)) return *index;
  Memory* m = memory(name);
  auto oldest = m->slots.begin();
  for (auto it = m->slots.begin(); it != m->slots.end(); ++it) {
    if (it->second.serial < oldest->second.serial) oldest = it;
  }
  m->slots.erase(oldest);
  return *store(name, std::move(message));
}

const StoredPdu* MessageStore::find(std::string_view name, int index) const {
  const Memory* m = memory(name);
  if (!m) return nullptr;
  auto it = m->slots.find(index);
  return it == m->slots.end() ? nullptr : &it->second;
}

void MessageStore::mark_read(std::string_view name, int index) {
  Memory* m = memory(name);
  if (!m) return;
  auto it = m->slots.find(index);
  if (it != m->slots.end() && it->second.status == MessageStatus::unread)
    it->second.status = MessageStatus::read;
}

bool MessageStore::remove(std::string_view name, int index) {
  Memory* m = memory(name);
  return m && m->slots.erase(index) > 0;
}

void MessageStore::remove_by_flag(std::string_view name, int flag) {
  Memory* m = memory(name);
  if (!m) return;
  std::erase_if(m->slots, [flag](const auto& slot) {
    const MessageStatus s = slot.second.status;
    switch (flag) {
      case 1:
        return s == MessageStatus::read;
      case 2:
        return s == MessageStatus::read || s == MessageStatus::sent;
      case 3:
        return s != MessageStatus::unread;
      case 4:
        return true;
      default:
        return false;
    }
  });
}

std::vector<std::pair<int, const StoredPdu*>> MessageStore::list(
    std::string_view name, std::optional<MessageStatus> status) const {
  std::vector<std::pair<int, const StoredPdu*>> result;
  const Memory* m = memory(name);
  if (!m) return result;
  for (const auto& [index, message] : m->slots) {
    if (!status || message.status == *status) result.emplace_back(index, &message);
  }
  return result;
}

}  // namespace smsgw::sim
