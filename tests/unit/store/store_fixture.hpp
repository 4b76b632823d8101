// Shared helpers for the store tests: a fresh database per test, on either engine, and
// message builders.
//
// Engines: a test that only speaks the Store API runs on both (TEST_P on StoreTest or an
// alias of it, instantiated with STORE_ENGINES: cases named Sqlite and Postgres). SQLite
// gets a temporary file; PostgreSQL a database of its own (CREATE DATABASE t<N>, a file copy
// of a template migrated once through Store::open_url) in one real cluster the binary starts
// at its first Postgres case (harness::PostgresCluster) and stops at the end. Without the
// PostgreSQL binaries the Postgres cases skip, saying why.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "smsgw/store/store.hpp"
#include "temp_dir.hpp"

namespace smsgw::store::testing {

using namespace std::chrono_literals;

inline TimePoint at(std::int64_t seconds) {
  return TimePoint(std::chrono::seconds(1'700'000'000 + seconds));
}

using test_support::TempDir;

inline NewMessage message_to(std::string to, int parts = 1, int priority = 0) {
  NewMessage m;
  m.to = std::move(to);
  m.text = "hello";
  m.encoding = "gsm7";
  m.priority = priority;
  for (int i = 0; i < parts; ++i) {
    m.parts.push_back(NewPart{"0041000B915121551532F40000" + std::to_string(i), 20 + i});
  }
  return m;
}

// Every message due at `now`, group by group, as the dispatcher reads them.
inline std::vector<StoredMessage> due_at(Store& store, TimePoint now) {
  std::vector<StoredMessage> out;
  const auto groups = store.queue_groups();
  EXPECT_TRUE(groups.ok()) << groups.error().message;
  if (!groups.ok()) return out;
  for (const auto& group : groups.value()) {
    auto due = store.due_in_group(group, now, 1000);
    EXPECT_TRUE(due.ok()) << due.error().message;
    if (!due.ok()) continue;
    out.insert(out.end(), due->begin(), due->end());
  }
  return out;
}

enum class Engine { sqlite, postgres };

// "Sqlite" / "Postgres": the parameter's part of a test's name.
std::string engine_name(const ::testing::TestParamInfo<Engine>& info);
// Why `engine` cannot run here (PostgreSQL binaries missing), or nullopt.
std::optional<std::string> engine_missing(Engine engine);

#define STORE_ENGINES \
  ::testing::Values(Engine::sqlite, Engine::postgres), ::smsgw::store::testing::engine_name

// One test's database: created by the constructor (throws when the cluster cannot start),
// dropped by the destructor.
class TestDatabase {
 public:
  explicit TestDatabase(Engine engine);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Engine engine() const { return engine_; }
  // A Store on this database (another "node" when opened again; the same file on SQLite).
  Result<std::unique_ptr<Store>> open(StoreOptions options = {}) const;
  // Runs `sql` outside the store (as the superuser on PostgreSQL) and returns the rows of
  // its last statement, columns joined by '|'.
  std::vector<std::string> rows(const std::string& sql) const;

 private:
  Engine engine_;
  TempDir dir_;
  std::string name_;  // PostgreSQL database
};

class StoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    if (auto missing = engine_missing(GetParam())) GTEST_SKIP() << *missing;
    database_ = std::make_unique<TestDatabase>(GetParam());
    auto opened = database_->open();
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    database_.reset();
  }

  // The same database opened again (a restart, or a second node on PostgreSQL).
  Result<std::unique_ptr<Store>> reopen(StoreOptions options = {}) const {
    return database_->open(options);
  }

  // Inserts one message created at `created` and returns its id.
  std::string add(NewMessage m, TimePoint created = at(0)) {
    m.created_at = created;
    if (m.id.empty()) m.id = store_->new_id(created);
    auto result = store_->insert_messages(std::span<const NewMessage>(&m, 1));
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
    return result.ok() ? result->ids.at(0) : "";
  }

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<Store> store_;
};

}  // namespace smsgw::store::testing
