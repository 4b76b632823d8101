// The gateway's configuration: one TOML file (contract.md, section Config; the commented
// example with every key at its default is config/smsgw.toml).
//
// Contract:
// - parse_config() and load_config() never throw; a bad file is an Error whose message is
//   ONE line naming the file, the key as a dotted path with array indexes, the reason and,
//   when known, the TOML line:
//     smsgw.toml: operator[1].limits.per_minute: must be a positive integer, got "ten" (line 14)
//   Error codes: "config.io" (unreadable file), "config.syntax" (not TOML),
//   "config.invalid" (a key is unknown, has the wrong type or a value out of range).
// - Every key is optional; a missing key takes the default written in this header. A key
//   this header does not name is an error (a typo must not silently become a default).
// - Durations are integers (seconds) or strings made of <number><unit> groups with unit
//   ms, s, m, h or d: "500ms", "30s", "5m", "1h30m", "3d".
// - Relative paths ([store] path and password_file, [http] ca_file) are resolved against
//   the config file's folder.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/common/result.hpp"

namespace smsgw::config {

using Duration = std::chrono::milliseconds;

// Messages per SIM; an absent value means "no limit". Each SMS part counts as one message.
// Days and months are local ([routing] timezone).
struct Limits {
  std::optional<std::uint32_t> per_minute;
  std::optional<std::uint32_t> per_day;
  std::optional<std::uint32_t> per_month;
  std::optional<std::uint32_t> recipients_per_day;  // distinct recipients per local day
  friend bool operator==(const Limits&, const Limits&) = default;
};

struct StoreConfig {
  // SQLite database file; created on first start. Relative values are resolved against the
  // config file's folder by parse_config()/load_config().
  std::filesystem::path path = "smsgw.db";
  // Restart rule (docs/store.md): parts left "sending" by a crash become "unknown" and are
  // not sent again; with at_least_once they are requeued (a recipient may get a duplicate).
  bool at_least_once = false;
  // PostgreSQL database shared by several nodes (a libpq URI or key=value conninfo string,
  // docs/store.md); empty = the SQLite file at `path`. `path` and `url` together are
  // refused.
  std::string url;
  // A libpq password file for `url` (resolved against the config file's folder); empty =
  // libpq's own PGPASSFILE or ~/.pgpass. The password itself never goes in the config.
  std::filesystem::path password_file;
  // Whether the store is shared by several nodes (`url` set).
  bool shared() const { return !url.empty(); }
  // `url` fit for a log line: a password in it (URI "user:secret@" or conninfo
  // "password=secret") replaced by "***".
  std::string url_for_log() const;
  // Which store, for a log line: url_for_log() when shared, else the SQLite file's path.
  std::string name_for_log() const { return shared() ? url_for_log() : path.string(); }
  friend bool operator==(const StoreConfig&, const StoreConfig&) = default;
};

// [node]: this process as one node of several sharing a [store] url (README, "Several
// hosts"). With SQLite only `name` is used (it labels the modems list).
struct NodeConfig {
  // 1-64 characters of [A-Za-z0-9._-]; default: the host name (gethostname), characters
  // outside that set replaced by '-' and cut to 64.
  std::string name;
  // A node whose heartbeat is older than this is taken for dead and its claims taken over;
  // heartbeats go every lease / 3. At least 3s.
  Duration lease = std::chrono::seconds(30);
  // Where other nodes' clients reach this node's API (named in the 409 for a modem of this
  // node); default "http://" + [http] listen, with the host name for an unspecified
  // address (0.0.0.0, ::).
  std::string url;
  // How often the queue is read again from the shared store (the fallback for missed
  // LISTEN/NOTIFY wake-ups). A positive duration.
  Duration poll = std::chrono::seconds(2);
  friend bool operator==(const NodeConfig&, const NodeConfig&) = default;
};

struct HttpConfig {
  std::string listen = "127.0.0.1:8080";  // host:port or [v6]:port; port 0 = any free port
  std::string listen_host = "127.0.0.1";  // parsed from listen (IPv6 without brackets)
  std::uint16_t listen_port = 8080;       // parsed from listen
  bool listen_is_loopback = true;         // 127.0.0.0/8, ::1 or localhost
  std::vector<std::string> tokens;        // bearer tokens; empty = no auth (loopback only)
  std::size_t body_limit = 1024 * 1024;   // bytes of request body
  Duration request_timeout = std::chrono::seconds(30);
  std::size_t max_connections = 1024;
  // ---- https webhooks and per-message callbacks (README, "Webhooks") ----
  // PEM file of CA certificates trusted for https webhooks and callbacks in addition to the
  // system's CA store; empty = the system's only. Relative values are resolved against the
  // config file's folder; load_config() refuses a file that cannot be read or holds no
  // PEM certificate.
  std::filesystem::path ca_file;
  // Where a message's callback_url may point (http/callback_hosts.hpp): host names
  // ("*.example.com" for subdomains), IP addresses, CIDRs, or "*" (any public address).
  // Empty = callback_url is refused.
  std::vector<std::string> callback_hosts;
  // Signs callbacks of messages whose client has no secret; empty = fall back to the
  // secret of the first [[webhook]] subscribed to message.status, else unsigned.
  std::string callback_secret;
  friend bool operator==(const HttpConfig&, const HttpConfig&) = default;
};

struct ModemConfig {
  std::string port;               // device path or glob ("/dev/smsgw/*")
  std::optional<std::string> id;  // stable name for the API; default: derived from the port
  // Prepended to an id derived from the port (a glob's file names, a port without `id`):
  // nodes sharing a store whose ports have the same names ("a-" on one, "b-" on another).
  std::string id_prefix;
  std::uint32_t baud = 115200;     // one of the standard termios rates
  std::optional<std::string> pin;  // SIM PIN, 4-8 digits
  std::string profile = "auto";    // vendor profile name, "auto" = detect from AT+CGMI/CGMM
  Limits limits;                   // overrides the operator's limits, key by key
  Duration send_timeout = std::chrono::seconds(60);
  bool enabled = true;
  friend bool operator==(const ModemConfig&, const ModemConfig&) = default;
};

struct BalanceConfig {
  std::string ussd;                           // e.g. "*100#"
  std::string pattern;                        // ECMAScript regex; its first group is the amount
  std::string currency;                       // reported with the amount, e.g. "EUR"
  Duration interval = std::chrono::hours(6);  // 0 = only on request
  std::optional<double> low_balance;          // below this the SIM is paused
  friend bool operator==(const BalanceConfig&, const BalanceConfig&) = default;
};

struct OperatorConfig {
  std::string name;
  std::vector<std::string> mccmnc;    // 5 or 6 digits each, e.g. "26201"
  std::vector<std::string> prefixes;  // E.164 prefixes as written ("+49151")
  std::optional<BalanceConfig> balance;
  Limits limits;  // per SIM of this operator
  friend bool operator==(const OperatorConfig&, const OperatorConfig&) = default;
};

enum class Fallback { any, none };

struct RoutingConfig {
  Fallback fallback = Fallback::any;
  // How long a message waits for an on-net SIM before an off-net one may take it.
  Duration fallback_wait = std::chrono::seconds(5);
  std::string default_country_code;  // digits, e.g. "49"; empty = national numbers refused
  // Whose midnight resets per_day (and whose month per_month): a tz database name such as
  // "Europe/Berlin"; empty = the system's zone (TZ, else /etc/localtime).
  std::string timezone;
  friend bool operator==(const RoutingConfig&, const RoutingConfig&) = default;
};

struct RetryConfig {
  std::uint32_t max_attempts = 5;
  Duration backoff_initial = std::chrono::seconds(10);
  Duration backoff_max = std::chrono::minutes(10);
  std::uint32_t bench_after_failures = 3;  // consecutive failures that bench a SIM
  Duration bench_cooldown = std::chrono::minutes(10);
  friend bool operator==(const RetryConfig&, const RetryConfig&) = default;
};

struct SmsConfig {
  std::uint32_t max_parts = 10;  // 1..255 (3GPP TS 23.040 9.2.3.24.1: 8-bit part counter)
  // National language shift tables the encoder may use (3GPP TS 23.038 6.2.1.2.4), by name:
  // one of kShiftTableNames.
  std::vector<std::string> shift_tables;
  bool status_report = true;  // default of the API's status_report field
  // How long after sending a delivery report may still be matched to its part.
  Duration report_window = std::chrono::hours(72);
  // How long a part of unknown outcome waits for the status report that settles it, and
  // what then: "keep" (it stays unknown) or "resend" (sent again through the same SIM,
  // once).
  Duration settle_unknown = std::chrono::minutes(10);
  std::string after_settle = "keep";
  friend bool operator==(const SmsConfig&, const SmsConfig&) = default;
};

struct LogConfig {
  std::string level = "info";   // trace, debug, info, warn, error, critical, off
  std::string format = "text";  // text or json
  friend bool operator==(const LogConfig&, const LogConfig&) = default;
};

struct WebhookConfig {
  std::string url;                  // http:// or https://
  std::vector<std::string> events;  // names from kWebhookEvents; empty = every event
  std::string secret;               // HMAC-SHA256 key; empty = unsigned
  friend bool operator==(const WebhookConfig&, const WebhookConfig&) = default;
};

struct UssdConfig {
  Duration timeout = std::chrono::seconds(30);
  friend bool operator==(const UssdConfig&, const UssdConfig&) = default;
};

// [smpp]: the SMPP 3.4 server (README, "SMPP"). Off unless `listen` is set; off a loopback
// address it needs at least one [[client]] with system_id and password.
struct SmppConfig {
  std::string listen;              // host:port or [v6]:port; empty = no SMPP server
  std::string listen_host;         // parsed from listen
  std::uint16_t listen_port = 0;   // parsed from listen; 0 = any free port
  bool listen_is_loopback = true;  // 127.0.0.0/8, ::1 or localhost
  std::uint32_t window = 10;       // outstanding requests per bind, both directions
  // A bind that sends nothing for this long is sent an enquire_link; one that does not
  // answer it within enquire_link_timeout is closed.
  Duration enquire_link_interval = std::chrono::seconds(30);
  Duration enquire_link_timeout = std::chrono::seconds(10);
  std::size_t max_binds = 256;  // open SMPP connections at once
  // How long the parts of a message a client split itself (UDH or sar_*) may take to
  // arrive; a message still incomplete after it fails ("smpp: 2 of 3 parts arrived").
  Duration parts_timeout = std::chrono::minutes(10);
  friend bool operator==(const SmppConfig&, const SmppConfig&) = default;
};

struct ModemsConfig {
  Duration poll_interval = std::chrono::seconds(30);   // signal / registration refresh
  Duration rescan_interval = std::chrono::seconds(5);  // hot-plug scan of the port globs
  // A modem not ready (state other than ready/sending) for longer than this raises one
  // `modem.down` webhook per outage, and `modem.up` when it is back.
  Duration down_after = std::chrono::minutes(2);
  friend bool operator==(const ModemsConfig&, const ModemsConfig&) = default;
};

// [[sim]]: settings that follow a SIM (by ICCID) to whatever port it is plugged into. They
// override the port's [[modem]] settings, which override the [[operator]]'s, key by key.
struct SimConfig {
  std::string iccid;                         // digits as the modems list shows them
  std::optional<std::string> pin;            // 4-8 digits
  Limits limits;                             // key by key over [[modem]] and [[operator]]
  std::optional<std::string> operator_name;  // "operator": an [[operator]] name over the IMSI's
  std::optional<std::string> number;         // the SIM's own MSISDN, "+" and digits
  std::string label;                         // free text for people
  bool enabled = true;                       // false: the SIM carries nothing
  friend bool operator==(const SimConfig&, const SimConfig&) = default;
};

// What an API client may do (scopes) and how much it may send (in SMS parts).
inline constexpr std::string_view kClientScopes[] = {"send", "read", "modems", "admin"};

struct ClientLimits {
  std::optional<std::uint32_t> per_minute;
  std::optional<std::uint32_t> per_day;  // local day ([routing] timezone)
  friend bool operator==(const ClientLimits&, const ClientLimits&) = default;
};

// SMPP 3.4 5.2.1 and 5.2.2: a system_id is at most 15 characters, a bind's password at
// most 8. A [[client]] password may be longer (/cgi-bin/sendsms takes it whole); an SMPP
// bind then authenticates with its first 8 characters, as Kannel cuts longer ones.
inline constexpr std::size_t kMaxSystemIdLength = 15;
inline constexpr std::size_t kMaxSmppPasswordLength = 8;
inline constexpr std::size_t kMaxClientPasswordLength = 64;

// [[client]]: an API client. It authenticates with `token` (or the SHA-256 of it, so the
// file need not hold the token itself) as a bearer token, and with `system_id` and
// `password` in an SMPP bind and Kannel's /cgi-bin/sendsms (username, password). At least
// one of the two credentials.
struct ClientConfig {
  std::string name;
  std::string token;                                   // empty when token_sha256 is given
  std::string token_sha256;                            // 64 lowercase hex digits
  std::vector<std::string> scopes = {"send", "read"};  // names from kClientScopes
  ClientLimits limits;
  std::string secret;     // HMAC key for this client's per-message callbacks; empty = default
  std::string system_id;  // 1..15 printable ASCII characters, unique; empty: no SMPP/sendsms
  std::string password;   // 1..64 characters; required with system_id (SMPP: first 8)
  // Which inbound messages this client's SMPP receivers get: modem ids, ICCIDs or SIM
  // numbers ([[sim]] number, "+..."); none (the key absent) = every inbound message;
  // an empty list = none.
  std::optional<std::vector<std::string>> inbound;
  friend bool operator==(const ClientConfig&, const ClientConfig&) = default;
};

struct Config {
  StoreConfig store;
  HttpConfig http;
  std::vector<ModemConfig> modems;        // [[modem]]
  std::vector<OperatorConfig> operators;  // [[operator]]
  RoutingConfig routing;
  RetryConfig retry;
  SmsConfig sms;
  LogConfig log;
  std::vector<WebhookConfig> webhooks;  // [[webhook]]
  UssdConfig ussd;
  ModemsConfig modem_polling;         // [modems]
  std::vector<SimConfig> sims;        // [[sim]]
  std::vector<ClientConfig> clients;  // [[client]]
  SmppConfig smpp;
  NodeConfig node;
  friend bool operator==(const Config&, const Config&) = default;
};

// The tables the PDU codec implements (pdu::national_language_from_name).
inline constexpr std::string_view kShiftTableNames[] = {"turkish", "spanish", "portuguese"};

// message.status: a message reached sent, delivered, failed, expired, cancelled or unknown
// (and again when a report settles an unknown one);
// message.received: an inbound message is complete; sim.low_balance: a SIM's balance fell
// below its operator's low_balance and the SIM was paused; modem.down: a modem has not been
// ready for [modems] down_after; modem.up: it is ready again after a modem.down.
inline constexpr std::string_view kWebhookEvents[] = {"message.status", "message.received",
                                                      "sim.low_balance", "modem.down", "modem.up"};

// The configuration an empty file yields for a file at `config_path` (store path resolved).
Config default_config(const std::filesystem::path& config_path = {});

// Parses TOML text. `config_path` names the file in messages and anchors relative paths.
Result<Config> parse_config(std::string_view toml, const std::filesystem::path& config_path);

// Reads and parses the file at `path`.
Result<Config> load_config(const std::filesystem::path& path);

// A warning when the file at `path` holds secrets (http.tokens, http.callback_secret, a
// [[webhook]] secret) and
// users other than its owner and group may read it; nullopt otherwise. Names the file, its
// mode and the fix.
std::optional<std::string> exposed_secrets_warning(const std::filesystem::path& path,
                                                   const Config& config);

// Parses a duration as written in the config ("30s", "5m", "1h30m", "500ms"); for tests
// and for command-line flags that take the same form.
Result<Duration> parse_duration(std::string_view text);

}  // namespace smsgw::config
