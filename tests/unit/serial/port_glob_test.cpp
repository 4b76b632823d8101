#include "smsgw/serial/port_glob.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "smsgw/serial/discovery.hpp"

namespace smsgw::serial {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("smsgw-glob-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_ / "dev");
    fs::create_directories(path_ / "links");
  }
  ~TempDir() { fs::remove_all(path_); }
  [[nodiscard]] const fs::path& path() const { return path_; }
  void touch(const fs::path& file) const { std::ofstream(path_ / file) << ""; }

 private:
  fs::path path_;
};

TEST(PortGlob, RecognisesGlobCharacters) {
  EXPECT_TRUE(has_glob_characters("/dev/ttyUSB*"));
  EXPECT_TRUE(has_glob_characters("/dev/ttyUSB?"));
  EXPECT_TRUE(has_glob_characters("/dev/ttyUSB[0-3]"));
  EXPECT_FALSE(has_glob_characters("/dev/ttyUSB2"));
}

TEST(PortGlob, ExpandsSortedAndDropsASecondNameOfTheSameDevice) {
  TempDir dir;
  dir.touch("dev/ttyUSB0");
  dir.touch("dev/ttyUSB1");
  dir.touch("dev/ttyACM0");
  fs::create_symlink(dir.path() / "dev/ttyUSB1", dir.path() / "links/modem-b");
  fs::create_symlink(dir.path() / "dev/ttyACM0", dir.path() / "links/modem-a");

  const auto links = (dir.path() / "links/*").string();
  const auto usb = (dir.path() / "dev/ttyUSB*").string();
  const auto expansion = expand_ports({links, usb});

  ASSERT_EQ(expansion.ports.size(), 3U);
  EXPECT_EQ(expansion.ports[0].path, (dir.path() / "links/modem-a").string());
  EXPECT_EQ(expansion.ports[0].device, fs::canonical(dir.path() / "dev/ttyACM0").string());
  EXPECT_EQ(expansion.ports[1].path, (dir.path() / "links/modem-b").string());
  EXPECT_EQ(expansion.ports[2].path, (dir.path() / "dev/ttyUSB0").string());
  ASSERT_EQ(expansion.duplicates.size(), 1U);
  EXPECT_EQ(expansion.duplicates[0].path, (dir.path() / "dev/ttyUSB1").string());
  EXPECT_EQ(expansion.duplicates[0].same_as, (dir.path() / "links/modem-b").string());
}

TEST(PortGlob, PlainPathIsKeptEvenWhenMissingAndAGlobWithoutMatchesIsEmpty) {
  TempDir dir;
  const auto missing = (dir.path() / "dev/ttyUSB9").string();
  const auto expansion = expand_ports({missing, (dir.path() / "dev/nothing*").string(), missing});
  ASSERT_EQ(expansion.ports.size(), 1U);
  EXPECT_EQ(expansion.ports[0].path, missing);
  EXPECT_EQ(expansion.ports[0].device, missing);
  EXPECT_TRUE(expansion.duplicates.empty());
}

TEST(Discovery, LinksByTargetMapsEachDeviceToItsLinkAndSkipsDanglingOnes) {
  TempDir dir;
  dir.touch("dev/ttyUSB2");
  fs::create_symlink(dir.path() / "dev/ttyUSB2",
                     dir.path() / "links/pci-0000:00:14.0-usb-0:2:1.2-port0");
  fs::create_symlink(dir.path() / "dev/gone", dir.path() / "links/pci-dangling");
  const auto links = links_by_target(dir.path() / "links");
  ASSERT_EQ(links.size(), 1U);
  const auto device = fs::canonical(dir.path() / "dev/ttyUSB2").string();
  ASSERT_TRUE(links.contains(device));
  EXPECT_EQ(links.at(device), (dir.path() / "links/pci-0000:00:14.0-usb-0:2:1.2-port0").string());
  EXPECT_TRUE(links_by_target(dir.path() / "absent").empty());
}

TEST(Discovery, ListPortsSucceedsAndGivesNamedSortedPorts) {
  auto ports = list_ports();
  ASSERT_TRUE(ports.ok()) << ports.error().message;
  for (std::size_t i = 0; i < ports->size(); ++i) {
    EXPECT_FALSE((*ports)[i].name.empty());
    if (i > 0) {
      EXPECT_LE((*ports)[i - 1].name, (*ports)[i].name);
    }
  }
}

TEST(Discovery, VidPidTextIsLowercaseHex) {
  PortInfo port;
  EXPECT_EQ(vid_pid_text(port), "");
  port.usb_vendor_id = 0x12d1;
  port.usb_product_id = 0x1506;
  EXPECT_EQ(vid_pid_text(port), "12d1:1506");
}

}  // namespace
}  // namespace smsgw::serial
