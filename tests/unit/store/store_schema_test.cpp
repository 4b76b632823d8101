#include <sqlite3.h>

#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

// The first column of the first row of `sql`.
std::string scalar(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
  std::string value;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

std::string pragma(const std::filesystem::path& path, const char* name) {
  return scalar(path, std::string("PRAGMA ") + name);
}

void exec(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(StoreSchema, CreatesTheLatestSchemaInAnEmptyFile) {
  TempDir dir;
  const auto path = dir.path() / "new.db";
  auto store = Store::open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ((*store)->schema_version(), Store::latest_schema_version());
  EXPECT_GE(Store::latest_schema_version(), 2);
  EXPECT_EQ(pragma(path, "user_version"), std::to_string(Store::latest_schema_version()));
  EXPECT_EQ(pragma(path, "journal_mode"), "wal");
  // Migration is one transaction.
  EXPECT_EQ((*store)->commit_count(), 1u);
}

TEST(StoreSchema, AMessageWithoutPartsIsInvalid) {
  TempDir dir;
  auto store = Store::open(dir.path() / "p.db");
  ASSERT_TRUE(store.ok());
  NewMessage m = message_to("+491511234567");
  m.parts.clear();
  auto refused = (*store)->insert_messages(std::span<const NewMessage>(&m, 1));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "invalid");
}

// A message as an older schema stores it: the code's insert_messages writes the newest
// columns, so older files are filled by SQL.
std::string insert_old_message(const std::filesystem::path& path, const std::string& to,
                               int parts) {
  static int counter = 0;
  const std::string id = "01HX00000000000000000000" + std::to_string(10 + counter++);
  exec(path,
       "INSERT INTO messages (id, recipient, text, encoding, part_count, status, "
       "created_at) VALUES ('" +
           id + "', '" + to + "', 'hello', 'gsm7', " + std::to_string(parts) +
           ", 'queued', 1700000000000)");
  for (int i = 1; i <= parts; ++i) {
    exec(path, "INSERT INTO message_parts (message_id, idx, pdu, tpdu_length, status) VALUES ('" +
                   id + "', " + std::to_string(i) + ", '0041', 20, 'queued')");
  }
  return id;
}

// Version 3 rebuilt the messages table (a message may be `unknown`).
TEST(StoreSchema, UpgradesFromVersionTwoKeepingRows) {
  TempDir dir;
  const auto path = dir.path() / "old.db";
  const int previous = 2;
  std::string id;
  {
    auto old = Store::open(path, StoreOptions{.schema_version = previous});
    ASSERT_TRUE(old.ok()) << old.error().message;
    EXPECT_EQ((*old)->schema_version(), previous);
  }
  id = insert_old_message(path, "+491511234567", 2);
  EXPECT_EQ(pragma(path, "user_version"), std::to_string(previous));
  auto upgraded = Store::open(path);
  ASSERT_TRUE(upgraded.ok()) << upgraded.error().message;
  EXPECT_EQ((*upgraded)->schema_version(), Store::latest_schema_version());
  auto message = (*upgraded)->get_message(id);
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->parts.size(), 2u);
  // Tables of the newest version work; version 3 lets a message be `unknown`.
  EXPECT_TRUE((*upgraded)->add_daily_sent("8949", 1, 1).ok());
  ASSERT_TRUE((*upgraded)->claim_message(id, "m", std::chrono::system_clock::now()).ok());
  EXPECT_TRUE((*upgraded)
                  ->leave_unknown(id, "lost answer", std::chrono::system_clock::now(),
                                  PartFailure{1, true, "at.timeout"})
                  .ok());
  EXPECT_EQ((*upgraded)->get_message(id)->status, MessageStatus::unknown);
  EXPECT_EQ((*upgraded)->get_message(id)->parts.size(), 2u);  // the rebuild kept the parts
}

// Version 4: client, reference and callback_url on messages (null for older rows), the
// webhook row's kind ('webhook' for older rows) and the indexes of the new filters.
TEST(StoreSchema, UpgradesFromVersionThreeWithEmptyTags) {
  TempDir dir;
  const auto path = dir.path() / "old.db";
  {
    auto old = Store::open(path, StoreOptions{.schema_version = 3});
    ASSERT_TRUE(old.ok()) << old.error().message;
  }
  const auto id = insert_old_message(path, "+491511234567", 1);
  exec(path,
       "INSERT INTO webhook_outbox (event, payload, url, next_attempt_at, created_at) "
       "VALUES ('message.status', '{}', 'http://h/', 0, 0)");
  auto upgraded = Store::open(path);
  ASSERT_TRUE(upgraded.ok()) << upgraded.error().message;
  EXPECT_EQ((*upgraded)->schema_version(), Store::latest_schema_version());
  auto message = (*upgraded)->get_message(id);
  ASSERT_TRUE(message.ok()) << message.error().message;
  EXPECT_FALSE(message->client.has_value());
  EXPECT_FALSE(message->reference.has_value());
  EXPECT_FALSE(message->callback_url.has_value());
  auto due = (*upgraded)->due_webhooks(std::chrono::system_clock::now(), 10);
  ASSERT_TRUE(due.ok()) << due.error().message;
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->at(0).kind, WebhookKind::webhook);
  EXPECT_FALSE(due->at(0).client.has_value());
  for (const char* index :
       {"messages_by_reference", "messages_by_client", "inbound_by_sender", "inbound_by_modem"}) {
    EXPECT_EQ(scalar(path, std::string("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' "
                                       "AND name = '") +
                               index + "'"),
              "1")
        << index;
  }
}

// /metrics reads counts kept as messages change status (message_counts), not counted: they
// start from the rows an older version left, and follow inserts, transitions and deletes.
TEST(StoreSchema, StatusCountsAreKeptAsMessagesChange) {
  TempDir dir;
  const auto path = dir.path() / "old.db";
  {
    auto old = Store::open(path, StoreOptions{.schema_version = 2});  // before message_counts
    ASSERT_TRUE(old.ok()) << old.error().message;
  }
  for (const char* to : {"+491", "+492"}) insert_old_message(path, to, 1);
  auto store = Store::open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto count = [&](MessageStatus status) {
    return (*store->get()->count_by_status())[static_cast<std::size_t>(status)].second;
  };
  EXPECT_EQ(count(MessageStatus::queued), 2);
  NewMessage m = message_to("+493");
  const auto id = (*store)->insert_messages(std::span<const NewMessage>(&m, 1))->ids.at(0);
  EXPECT_EQ(count(MessageStatus::queued), 3);
  ASSERT_TRUE((*store)->cancel(id, std::chrono::system_clock::now()).ok());
  EXPECT_EQ(count(MessageStatus::queued), 2);
  EXPECT_EQ(count(MessageStatus::cancelled), 1);
  exec(path, "DELETE FROM messages WHERE status = 'cancelled'");
  EXPECT_EQ(count(MessageStatus::cancelled), 0);
  EXPECT_EQ(count(MessageStatus::queued), 2);
}

TEST(StoreSchema, EveryVersionUpgradesToTheNext) {
  for (int from = 0; from < Store::latest_schema_version(); ++from) {
    TempDir dir;
    const auto path = dir.path() / "v.db";
    ASSERT_TRUE(Store::open(path, StoreOptions{.schema_version = from}).ok()) << from;
    auto next = Store::open(path, StoreOptions{.schema_version = from + 1});
    ASSERT_TRUE(next.ok()) << from << ": " << next.error().message;
    EXPECT_EQ((*next)->schema_version(), from + 1);
  }
}

TEST(StoreSchema, RefusesADatabaseNewerThanTheCode) {
  TempDir dir;
  const auto path = dir.path() / "future.db";
  ASSERT_TRUE(Store::open(path).ok());
  exec(path, "PRAGMA user_version = " + std::to_string(Store::latest_schema_version() + 1));
  auto refused = Store::open(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "store.schema");
  EXPECT_NE(refused.error().message.find("newer than this smsgw understands"), std::string::npos)
      << refused.error().message;
}

TEST(StoreSchema, AFailedMigrationLeavesTheVersionUnchanged) {
  TempDir dir;
  const auto path = dir.path() / "clash.db";
  ASSERT_TRUE(Store::open(path, StoreOptions{.schema_version = 1}).ok());
  // A table in the way makes migration 2 fail; the whole upgrade rolls back.
  exec(path, "CREATE TABLE sims (x INTEGER)");
  auto failed = Store::open(path);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("migration to schema version 2 failed"), std::string::npos)
      << failed.error().message;
  EXPECT_EQ(pragma(path, "user_version"), "1");
}

TEST(StoreSchema, UnopenableFileIsAnError) {
  auto failed = Store::open("/nonexistent-dir/sub/smsgw.db");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "unavailable");
  EXPECT_NE(failed.error().message.find("/nonexistent-dir/sub/smsgw.db"), std::string::npos);
}

}  // namespace
}  // namespace smsgw::store::testing
