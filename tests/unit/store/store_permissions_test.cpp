// The database and its -wal / -shm hold message texts: never readable by others, whatever
// the umask (sqlite.hpp, restrict_to_owner).
#include <sys/stat.h>

#include <fstream>

#include "store_fixture.hpp"

namespace smsgw::store::testing {
namespace {

mode_t mode_of(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Sets the process umask for one scope.
class Umask {
 public:
  explicit Umask(mode_t mask) : previous_(::umask(mask)) {}
  ~Umask() { ::umask(previous_); }
  Umask(const Umask&) = delete;
  Umask& operator=(const Umask&) = delete;

 private:
  mode_t previous_;
};

TEST(StorePermissions, ANewDatabaseAndItsWalAndShmAreOwnerOnlyUnderAnOpenUmask) {
  TempDir dir;
  const auto path = dir.path() / "new.db";
  Umask open_umask(0);
  auto store = Store::open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  NewMessage m = message_to("+491511234567");
  ASSERT_TRUE((*store)->insert_messages(std::span<const NewMessage>(&m, 1)).ok());
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(path.string() + "-wal"), 0600u);
  EXPECT_EQ(mode_of(path.string() + "-shm"), 0600u);
}

TEST(StorePermissions, AWorldReadableDatabaseIsCutBackToTheOwner) {
  TempDir dir;
  const auto path = dir.path() / "old.db";
  ASSERT_TRUE(Store::open(path).ok());
  for (const auto& file : {path, std::filesystem::path(path.string() + "-wal")}) {
    std::ofstream(file, std::ios::app).flush();
    ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  }
  auto store = Store::open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(path.string() + "-wal"), 0600u);
}

TEST(StorePermissions, AServiceGroupsReadBitStays) {
  TempDir dir;
  const auto path = dir.path() / "group.db";
  ASSERT_TRUE(Store::open(path).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  ASSERT_TRUE(Store::open(path).ok());
  EXPECT_EQ(mode_of(path), 0640u);
}

}  // namespace
}  // namespace smsgw::store::testing
