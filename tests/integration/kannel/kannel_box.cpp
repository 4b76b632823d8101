#include "kannel_box.hpp"

#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace smsgw::kannel_test {

namespace {

constexpr const char* kAdminPassword = "admin-secret";

// A kannel.conf string value (the values written here never hold a '"').
std::string quoted(const std::string& text) { return "\"" + text + "\""; }

std::string render_config(const std::filesystem::path& dir, const KannelOptions& options,
                          std::uint16_t admin_port, std::uint16_t smsbox_port,
                          std::uint16_t sendsms_port) {
  const auto file = [&dir](const char* name) { return quoted((dir / name).string()); };
  std::string out = "# Written by tests/integration/kannel (kannel_box.cpp).\n";
  out += "group = core\n";
  out += "admin-port = " + std::to_string(admin_port) + "\n";
  out += "admin-password = " + quoted(kAdminPassword) + "\n";
  out += "admin-allow-ip = \"127.0.0.1\"\n";
  out += "smsbox-port = " + std::to_string(smsbox_port) + "\n";
  out += "box-allow-ip = \"127.0.0.1\"\n";
  out += "log-file = " + file("bearerbox.log") + "\n";
  out += "log-level = 0\n";  // debug: every SMPP PDU is dumped
  out += "access-log = " + file("access.log") + "\n";
  out += "dlr-storage = internal\n";
  // A message the SMSC refused for now (ESME_RTHROTTLED...) is sent again after 1 s (60 s
  // by default).
  out += "sms-resend-freq = 1\n";
  out += "\n";
  // The SMPP client. Message ids stay C strings: msg-id-type unset is Kannel's SMPP 3.4
  // default (set, it would read smsgw's 26-character ULIDs as decimal or hex numbers).
  // Separate binds: Kannel 1.4.5 takes either `port` (a transmitter) or `receive-port` (a
  // receiver) per group, so two groups sharing one smsc-id (receipts on the receiver find the
  // DLR entries the transmitter stored under that id).
  const auto smsc = [&](const std::string& port_key) {
    std::string group = "group = smsc\n";
    group += "smsc = smpp\n";
    group += "smsc-id = smsgw\n";
    group += "host = \"127.0.0.1\"\n";
    group += port_key + " = " + std::to_string(options.smpp_port) + "\n";
    if (options.transceiver) group += "transceiver-mode = true\n";
    group += "smsc-username = " + quoted(options.system_id) + "\n";
    group += "smsc-password = " + quoted(options.password) + "\n";
    group += "system-type = \"kannel\"\n";  // bearerbox refuses an smpp group without one
    group += "reconnect-delay = 1\n";
    group += "enquire-link-interval = " + std::to_string(options.enquire_link_interval) + "\n";
    group += "max-pending-submits = " + std::to_string(options.max_pending_submits) + "\n";
    return group + "\n";
  };
  out += smsc("port");
  if (!options.transceiver) out += smsc("receive-port");
  out += "group = smsbox\n";
  out += "bearerbox-host = \"127.0.0.1\"\n";
  out += "sendsms-port = " + std::to_string(sendsms_port) + "\n";
  out += "log-file = " + file("smsbox.log") + "\n";
  out += "log-level = 0\n";
  out += "\n";
  // concatenation + max-messages: a long text goes to bearerbox whole, which splits it into
  // parts with a UDH (05 00 03 ref total seq).
  out += "group = sendsms-user\n";
  out += "username = " + quoted(kSendsmsUser) + "\n";
  out += "password = " + quoted(kSendsmsPassword) + "\n";
  out += "concatenation = true\n";
  out += "max-messages = 10\n";
  if (!options.mo_url.empty()) {
    out += "\n";
    // max-messages = 0: the service's answer is not sent back as a reply SMS.
    out += "group = sms-service\n";
    out += "keyword = default\n";
    out += "get-url = " + quoted(options.mo_url + "?from=%p&to=%P&coding=%c&text=%b") + "\n";
    out += "max-messages = 0\n";
  }
  return out;
}

// Hands `dir` (and what is in it) to `user` so a box that switched to it can write there.
void give_to(const std::filesystem::path& dir, const std::string& user) {
  const passwd* entry = ::getpwnam(user.c_str());
  if (entry == nullptr) throw std::runtime_error("no user " + user);
  const auto own = [entry](const std::filesystem::path& path) {
    if (::chown(path.c_str(), entry->pw_uid, entry->pw_gid) != 0) {
      throw std::runtime_error("cannot chown " + path.string());
    }
  };
  own(dir);
  for (const auto& item : std::filesystem::directory_iterator(dir)) own(item.path());
}

// Kannel's boxes accept `-u user` and switch to it at once; as root, the tests use the
// package's system user (as its init script does) rather than run them as root.
std::string box_user() {
  if (::geteuid() != 0) return {};
  for (const char* candidate : {"kannel", "nobody"}) {
    if (::getpwnam(candidate) != nullptr) return candidate;
  }
  return {};
}

}  // namespace

bool kannel_installed() { return ::access(kBearerbox, X_OK) == 0 && ::access(kSmsbox, X_OK) == 0; }

Kannel::Kannel(KannelOptions options)
    : dir_("smsgw-kannel"), options_(std::move(options)), user_(box_user()) {
  admin_port_ = harness::free_tcp_port();
  smsbox_port_ = harness::free_tcp_port();
  sendsms_port_ = harness::free_tcp_port();
  harness::write_file(dir() / "kannel.conf",
                      render_config(dir(), options_, admin_port_, smsbox_port_, sendsms_port_));
  if (!user_.empty()) give_to(dir(), user_);

  bearerbox_ =
      std::make_unique<harness::ChildProcess>(box_argv(kBearerbox), dir() / "bearerbox.out");
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (status().empty()) {
    if (!bearerbox_->running()) fail("bearerbox exited during start-up");
    if (std::chrono::steady_clock::now() > deadline) fail("bearerbox's admin port never answered");
    std::this_thread::sleep_for(20ms);
  }
  smsbox_ = std::make_unique<harness::ChildProcess>(box_argv(kSmsbox), dir() / "smsbox.out");
  while (status().find("smsbox:") == std::string::npos) {
    if (!smsbox_->running()) fail("smsbox exited during start-up");
    if (std::chrono::steady_clock::now() > deadline) fail("smsbox never connected to bearerbox");
    std::this_thread::sleep_for(20ms);
  }
  if (!user_.empty()) watchdog_.start({bearerbox_->pid(), smsbox_->pid()});
  const harness::HttpClient sendsms_client(sendsms_port_);
  while (sendsms_client.get("/cgi-bin/sendsms").status == 0) {
    if (!smsbox_->running()) fail("smsbox exited during start-up");
    if (std::chrono::steady_clock::now() > deadline) fail("smsbox's sendsms port never answered");
    std::this_thread::sleep_for(20ms);
  }
}

Kannel::~Kannel() { stop(); }

std::size_t Kannel::smsc_groups() const { return options_.transceiver ? 1 : 2; }

std::vector<std::string> Kannel::box_argv(const char* box) const {
  // -v 2: warnings and errors on the box's output; the log files get everything.
  std::vector<std::string> argv{box, "-v", "2"};
  if (!user_.empty()) {
    argv.emplace_back("-u");
    argv.push_back(user_);
  }
  argv.push_back((dir() / "kannel.conf").string());
  return argv;
}

std::string Kannel::status() const {
  const harness::HttpClient admin(admin_port_);
  const auto response =
      admin.request("GET", std::string("/status.txt?password=") + kAdminPassword, {}, {}, 2s);
  return response.status == 200 ? response.body : std::string();
}

void Kannel::wait_smsc_online(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last;
  for (;;) {
    last = status();
    // One line per smsc group: all of them online.
    const auto smsc = last.find("SMSC connections:");
    std::size_t online = 0;
    for (auto at = smsc == std::string::npos ? smsc : last.find("(online", smsc);
         at != std::string::npos; at = last.find("(online", at + 1)) {
      ++online;
    }
    if (online >= smsc_groups()) return;
    if (std::chrono::steady_clock::now() > deadline) {
      fail("Kannel's SMSC connection never came online; status:\n" + last);
    }
    std::this_thread::sleep_for(50ms);
  }
}

harness::HttpResponse Kannel::sendsms(
    const std::vector<std::pair<std::string, std::string>>& parameters) const {
  std::string target = "/cgi-bin/sendsms?username=" + url_encode(kSendsmsUser) +
                       "&password=" + url_encode(kSendsmsPassword);
  for (const auto& [name, value] : parameters) target += "&" + name + "=" + url_encode(value);
  return harness::HttpClient(sendsms_port_).get(target);
}

std::string Kannel::bearerbox_log() const { return harness::read_file(dir() / "bearerbox.log"); }

std::string Kannel::smsbox_log() const { return harness::read_file(dir() / "smsbox.log"); }

std::string Kannel::log_tails(std::size_t lines) const {
  std::string out;
  for (const char* name : {"bearerbox.out", "smsbox.out", "bearerbox.log", "smsbox.log"}) {
    const std::string text = harness::read_file(dir() / name);
    std::size_t start = text.size();
    for (std::size_t seen = 0; start > 0 && seen <= lines; ++seen) {
      const auto newline = text.rfind('\n', start - 1);
      start = newline == std::string::npos ? 0 : newline;
    }
    out += std::string("\n--- ") + name + " (tail) ---\n" + text.substr(start);
  }
  return out;
}

void Kannel::fail(const std::string& what) const {
  throw std::runtime_error("Kannel: " + what + " (files in " + dir().string() + ")" +
                           log_tails(30));
}

int Kannel::stop() {
  watchdog_.stop();  // first, so it never signals a box's pid after the box is reaped
  if (smsbox_) smsbox_->terminate(10s);
  return bearerbox_ ? bearerbox_->terminate(10s) : -1;
}

std::vector<std::pair<std::string, std::string>> logged_pdus(const std::string& log) {
  // "SMPP[smsgw]: Sending PDU:" (or "Sending enquire link:") or "SMPP[smsgw]: Got PDU:",
  // then the dump with
  // "  type_name: <name>".
  std::vector<std::pair<std::string, std::string>> out;
  std::string direction;
  std::size_t at = 0;
  while (at < log.size()) {
    const auto end = std::min(log.find('\n', at), log.size());
    const std::string_view line(log.data() + at, end - at);
    if (line.find("Sending PDU:") != std::string_view::npos ||
        line.find("Sending enquire link:") != std::string_view::npos) {
      direction = "sent";
    } else if (line.find("Got PDU:") != std::string_view::npos) {
      direction = "got";
    } else if (const auto name = line.find("type_name: ");
               name != std::string_view::npos && !direction.empty()) {
      out.emplace_back(direction, std::string(line.substr(name + 11)));
      direction.clear();
    }
    at = end + 1;
  }
  return out;
}

std::string url_encode(const std::string& text) {
  std::string out;
  for (const unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    }
  }
  return out;
}

std::string query_value(const std::string& target, const std::string& name) {
  const auto question = target.find('?');
  if (question == std::string::npos) return {};
  std::size_t at = question + 1;
  while (at <= target.size()) {
    const auto end = std::min(target.find('&', at), target.size());
    const std::string pair = target.substr(at, end - at);
    const auto equals = pair.find('=');
    if (pair.substr(0, equals) == name) {
      const std::string raw = equals == std::string::npos ? "" : pair.substr(equals + 1);
      std::string value;
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '+') {
          value.push_back(' ');
        } else if (raw[i] == '%' && i + 2 < raw.size() &&
                   std::isxdigit(static_cast<unsigned char>(raw[i + 1])) != 0 &&
                   std::isxdigit(static_cast<unsigned char>(raw[i + 2])) != 0) {
          value.push_back(static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16)));
          i += 2;
        } else {
          value.push_back(raw[i]);
        }
      }
      return value;
    }
    at = end + 1;
  }
  return {};
}

}  // namespace smsgw::kannel_test
