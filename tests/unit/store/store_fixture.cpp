// The store tests' engines: the PostgreSQL cluster shared by one test binary and the
// databases it hands each test (store_fixture.hpp).
#include "store_fixture.hpp"

#include <libpq-fe.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "harness/postgres_cluster.hpp"

namespace smsgw::store::testing {
namespace {

// The cluster, its superuser connection (over the unix socket, trusted) and a password file
// for the test role that holds for every database.
struct Shared {
  std::unique_ptr<harness::PostgresCluster> cluster;
  std::unique_ptr<PGconn, decltype(&PQfinish)> admin{nullptr, &PQfinish};
  TempDir dir;
  std::filesystem::path pgpass;
  std::string error;  // why the cluster could not be started (tests fail with it)
};

Shared& shared() {
  static Shared s;
  return s;
}

void admin_exec(const std::string& sql) {
  auto& s = shared();
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(s.admin.get(), sql.c_str()),
                                                       &PQclear);
  const auto status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error(sql + ": " + PQerrorMessage(s.admin.get()));
  }
}

std::string url_of(const std::string& database) {
  const auto& cluster = *shared().cluster;
  return "postgresql://" + cluster.user() + "@" + cluster.host() + ":" +
         std::to_string(cluster.port()) + "/" + database;
}

// Starts the cluster on first use: fsync off (these tests check the store's logic, not
// durability; the cluster is thrown away), a template database migrated once through
// Store::open_url, from which every test's database is copied.
void start_cluster() {
  auto& s = shared();
  if (s.cluster || !s.error.empty()) return;
  try {
    s.cluster = std::make_unique<harness::PostgresCluster>();
    const auto& cluster = *s.cluster;
    const std::string admin = "host=" + cluster.socket_dir().string() +
                              " port=" + std::to_string(cluster.port()) +
                              " user=postgres dbname=postgres";
    s.admin.reset(PQconnectdb(admin.c_str()));
    if (PQstatus(s.admin.get()) != CONNECTION_OK) {
      throw std::runtime_error(std::string("superuser connection: ") +
                               PQerrorMessage(s.admin.get()));
    }
    admin_exec("ALTER SYSTEM SET fsync = off");
    admin_exec("SELECT pg_reload_conf()");
    s.pgpass = s.dir.path() / "pgpass";
    {
      std::ofstream out(s.pgpass);
      out << cluster.host() << ":" << cluster.port() << ":*:" << cluster.user() << ":"
          << cluster.password() << "\n";
    }
    std::filesystem::permissions(
        s.pgpass, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    admin_exec("CREATE DATABASE smsgw_template OWNER " + cluster.user());
    auto migrated = [&] {
      StoreOptions options;
      options.password_file = s.pgpass;
      return Store::open_url(url_of("smsgw_template"), options);
    }();
    if (!migrated) throw std::runtime_error("migrating the template: " + migrated.error().message);
  } catch (const std::exception& e) {
    s.error = e.what();
  }
}

// Stops the cluster after the last test (before static destruction).
class ClusterEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    shared().admin.reset();
    shared().cluster.reset();
  }
};
[[maybe_unused]] auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new ClusterEnvironment);

}  // namespace

std::string engine_name(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::sqlite ? "Sqlite" : "Postgres";
}

std::optional<std::string> engine_missing(Engine engine) {
  if (engine == Engine::sqlite) return std::nullopt;
  if (!harness::postgres_installed()) return harness::postgres_missing_reason();
  return std::nullopt;
}

TestDatabase::TestDatabase(Engine engine) : engine_(engine) {
  if (engine_ == Engine::sqlite) return;
  start_cluster();
  auto& s = shared();
  if (!s.error.empty()) throw std::runtime_error("PostgreSQL for the store tests: " + s.error);
  static std::atomic<int> counter{0};
  name_ = "t" + std::to_string(++counter);
  // FILE_COPY: a copy of the template's files, far quicker than WAL-logging every block.
  admin_exec("CREATE DATABASE " + name_ + " TEMPLATE smsgw_template STRATEGY FILE_COPY OWNER " +
             shared().cluster->user());
}

TestDatabase::~TestDatabase() {
  if (engine_ == Engine::postgres && !name_.empty() && shared().admin) {
    try {
      admin_exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {
      // the cluster goes away with the binary anyway
    }
  }
}

Result<std::unique_ptr<Store>> TestDatabase::open(StoreOptions options) const {
  if (engine_ == Engine::sqlite) return Store::open(dir_.path() / "smsgw.db", options);
  options.password_file = shared().pgpass;
  return Store::open_url(url_of(name_), options);
}

std::vector<std::string> TestDatabase::rows(const std::string& sql) const {
  std::vector<std::string> out;
  if (engine_ == Engine::postgres) {
    const std::string info = "host=" + shared().cluster->socket_dir().string() +
                             " port=" + std::to_string(shared().cluster->port()) +
                             " user=postgres dbname=" + name_;
    std::unique_ptr<PGconn, decltype(&PQfinish)> c(PQconnectdb(info.c_str()), &PQfinish);
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c.get(), sql.c_str()), &PQclear);
    const auto status = PQresultStatus(r.get());
    EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        << sql << ": " << PQerrorMessage(c.get());
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      std::string row;
      for (int j = 0; j < PQnfields(r.get()); ++j)
        row += (j > 0 ? "|" : "") + std::string(PQgetvalue(r.get(), i, j));
      out.push_back(std::move(row));
    }
    return out;
  }
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open((dir_.path() / "smsgw.db").c_str(), &db), SQLITE_OK);
  auto collect = [](void* target, int columns, char** values, char**) {
    std::string row;
    for (int j = 0; j < columns; ++j) {
      row += (j > 0 ? "|" : "") + std::string(values[j] != nullptr ? values[j] : "");
    }
    static_cast<std::vector<std::string>*>(target)->push_back(std::move(row));
    return 0;
  };
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), collect, &out, &error), SQLITE_OK)
      << sql << ": " << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
  return out;
}

// The suite's tests live in several files (store_*_test.cpp); instantiated once, here.
INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, STORE_ENGINES);

}  // namespace smsgw::store::testing
