// `smsgw pdu encode|decode` as a user runs it: a separate process, JSON on stdout, exit 0;
// bad input exit 1 with one line on stderr naming the octet; bad usage exit 2.
// Expected PDUs are built by hand from 3GPP TS 23.040 / 23.038 (and checked with Gammu),
// or taken from real modem logs where named.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the smsgw binary with `args` (no shell, so any bytes pass through unchanged).
ProcessResult run_smsgw(const std::vector<std::string>& args) {
  const std::string binary = SMSGW_BINARY_DIR "/src/smsgw";
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(err_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  ProcessResult result;
  std::array<pollfd, 2> fds{pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open_fds = 2;
  while (open_fds > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

json run_json(const std::vector<std::string>& args) {
  const ProcessResult result = run_smsgw(args);
  EXPECT_EQ(result.exit_code, 0) << "stderr: " << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
  return json::parse(result.out);
}

json decode(const std::string& hex) { return run_json({"pdu", "decode", hex}); }

// Exit 1, nothing on stdout, exactly one line on stderr; returns that line.
std::string expect_failure(const std::vector<std::string>& args) {
  const ProcessResult result = run_smsgw(args);
  EXPECT_EQ(result.exit_code, 1) << "stdout: " << result.out << " stderr: " << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_FALSE(result.err.empty());
  return result.err;
}

void expect_usage_error(const std::vector<std::string>& args) {
  const ProcessResult result = run_smsgw(args);
  EXPECT_EQ(result.exit_code, 2) << "stdout: " << result.out << " stderr: " << result.err;
  EXPECT_EQ(result.out, "");
}

// Decodes every part and joins the texts (what a phone shows).
std::string joined_text(const json& encoded) {
  std::string text;
  for (const json& part : encoded["parts"]) text += decode(part["pdu"])["text"].get<std::string>();
  return text;
}

std::string repeat(const std::string& piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// ------------------------------------------------------------------------- decode

// Real SMS-DELIVER (smspdudecoder README, a Swedish network): TS 23.040 9.2.2.1.
TEST(PduDecodeCli, DeliverGsm7WithSmsc) {
  const json j = decode("07916407058099F9040B916407950303F100008921222140140004D4E2940A");
  EXPECT_EQ(j["type"], "deliver");
  EXPECT_EQ(j["smsc"], "+46705008999");
  EXPECT_EQ(j["from"], "+46705930301");
  EXPECT_EQ(j["scts"], "2098-12-22T12:04:41+00:00");  // two-digit years read as 20xx
  EXPECT_EQ(j["encoding"], "gsm7");
  EXPECT_EQ(j["text"], "TEST");
  EXPECT_TRUE(j["udh"].is_null());
  EXPECT_TRUE(j["concat"].is_null());
  EXPECT_TRUE(j["class"].is_null());
}

// Real +CDS status report (faucamp/python-gsmmodem#44), reference at-protocol.md.
TEST(PduDecodeCli, StatusReportFromRealModemLog) {
  const json j = decode("079119890400202306400C91197909913764511090718384225110907183252200");
  EXPECT_EQ(j["type"], "status-report");
  EXPECT_EQ(j["smsc"], "+919840000232");
  EXPECT_EQ(j["mr"], 64);
  EXPECT_EQ(j["recipient"], "+919790197346");
  EXPECT_EQ(j["scts"], "2015-01-09T17:38:48+05:30");
  EXPECT_EQ(j["discharge"], "2015-01-09T17:38:52+05:30");
  EXPECT_EQ(j["status"], 0);
  EXPECT_EQ(j["status_class"], "delivered");
  EXPECT_TRUE(j["concat"].is_null());
  EXPECT_TRUE(j["udh"].is_null());
}

// TP-ST 0x41 (incompatible destination, permanent) and negative time zones
// (-02:30 and -05:30: TS 23.040 9.2.3.11, sign in bit 3).
TEST(PduDecodeCli, StatusReportPermanentFailure) {
  const json j = decode("0006FF0B919471103254F6511090718384095110907183252A41");
  EXPECT_EQ(j["type"], "status-report");
  EXPECT_TRUE(j["smsc"].is_null());
  EXPECT_EQ(j["mr"], 255);
  EXPECT_EQ(j["recipient"], "+49170123456");
  EXPECT_EQ(j["scts"], "2015-01-09T17:38:48-02:30");
  EXPECT_EQ(j["discharge"], "2015-01-09T17:38:52-05:30");
  EXPECT_EQ(j["status"], 0x41);
  EXPECT_EQ(j["status_class"], "failed");
}

// TP-ST 0x21 (SME busy): the SC is still trying.
TEST(PduDecodeCli, StatusReportPending) {
  const json j = decode("0006070B919471103254F6511090718384005110907183250021");
  EXPECT_EQ(j["mr"], 7);
  EXPECT_EQ(j["status"], 0x21);
  EXPECT_EQ(j["status_class"], "pending");
  EXPECT_EQ(j["scts"], "2015-01-09T17:38:48+00:00");
}

// SMS-DELIVER, alphanumeric sender, UCS2 with an emoji (surrogate pair), 8-bit concat IE
// part 1 of 2 (ref 0x42), class 1 (DCS 0x19), time zone -05:00.
TEST(PduDecodeCli, DeliverUcs2ConcatAlphanumericSender) {
  const json j = decode(
      "004407D0C2B07B0D00194220923295850A22050003420201041F04400438043204350442002C0020043C0438"
      "04400020D83DDE00");
  EXPECT_EQ(j["type"], "deliver");
  EXPECT_TRUE(j["smsc"].is_null());
  EXPECT_EQ(j["from"], "Bank");
  EXPECT_EQ(j["scts"], "2024-02-29T23:59:58-05:00");
  EXPECT_EQ(j["encoding"], "ucs2");
  EXPECT_EQ(j["text"], "Привет, мир 😀");
  EXPECT_EQ(j["udh"], "0003420201");
  EXPECT_EQ(j["concat"], (json{{"ref", 0x42}, {"part", 1}, {"total", 2}}));
  EXPECT_EQ(j["class"], 1);
}

// SMS-DELIVER with 8-bit data (DCS 0x04): "data" in hex instead of "text".
TEST(PduDecodeCli, DeliverEightBitData) {
  const json j = decode("00040D91945111325476F8000412601080000080050001FEFF7F");
  EXPECT_EQ(j["encoding"], "8bit");
  EXPECT_EQ(j["data"], "0001FEFF7F");
  EXPECT_FALSE(j.contains("text"));
  EXPECT_EQ(j["from"], "+4915112345678");
  EXPECT_EQ(j["scts"], "2021-06-01T08:00:00+02:00");
}

// GSM 7-bit with extension characters after a 16-bit concat IE (ref 0x1234, part 3/3):
// TS 23.040 9.2.3.24.8, septets aligned after the 7-octet header.
TEST(PduDecodeCli, DeliverGsm7ExtensionWith16BitConcat) {
  const json j =
      decode("00440A81301032547600003221132103004014060804123403031BD4A6BC4981363CFCC607");
  EXPECT_EQ(j["from"], "0301234567");
  EXPECT_EQ(j["text"], "{€} [x]");
  EXPECT_EQ(j["udh"], "080412340303");
  EXPECT_EQ(j["concat"], (json{{"ref", 0x1234}, {"part", 3}, {"total", 3}}));
}

// A SUBMIT (what we send): TP-SRR, relative TP-VP 0xA7 = 1 day (TS 23.040 9.2.3.12.1).
TEST(PduDecodeCli, SubmitWithStatusReportAndValidity) {
  const json j = decode("0031000D91947110325476F80000A705C8329BFD06");
  EXPECT_EQ(j["type"], "submit");
  EXPECT_EQ(j["to"], "+4917012345678");
  EXPECT_EQ(j["mr"], 0);
  EXPECT_EQ(j["status_report"], true);
  EXPECT_EQ(j["validity"], 86400);
  EXPECT_EQ(j["text"], "Hello");
  EXPECT_TRUE(j["class"].is_null());
}

TEST(PduDecodeCli, SubmitWithoutValidityHasNullValidity) {
  const json j = decode("0001000D91947110325476F8000005C8329BFD06");
  EXPECT_EQ(j["status_report"], false);
  EXPECT_TRUE(j["validity"].is_null());
  EXPECT_EQ(j["text"], "Hello");
}

TEST(PduDecodeCli, LowerCaseHexAndSurroundingWhitespaceAreAccepted) {
  const json j = decode("  0001000d91947110325476f8000005c8329bfd06\r\n");
  EXPECT_EQ(j["text"], "Hello");
}

// ------------------------------------------------------------------- decode errors

TEST(PduDecodeCli, InvalidHexFailsWithOneLine) {
  const std::string line = expect_failure({"pdu", "decode", "0001000D9194ZZ"});
  EXPECT_NE(line.find("octet"), std::string::npos) << line;
}

// Contract: every bad input names the octet; here the incomplete last one (octet 5).
TEST(PduDecodeCli, OddHexLengthNamesTheOctet) {
  const std::string line = expect_failure({"pdu", "decode", "0001000D919"});
  EXPECT_NE(line.find("octet 5"), std::string::npos) << line;
}

TEST(PduDecodeCli, TruncatedPduNamesTheOctet) {
  // The real DELIVER above with its last two octets cut off: TP-UDL says 4 septets.
  const std::string line = expect_failure(
      {"pdu", "decode", "07916407058099F9040B916407950303F100008921222140140004D4E2"});
  EXPECT_NE(line.find("octet"), std::string::npos) << line;
}

TEST(PduDecodeCli, EmptyPduFails) { expect_failure({"pdu", "decode", ""}); }

TEST(PduDecodeCli, SmscLengthBeyondTheInputFails) {
  const std::string line = expect_failure({"pdu", "decode", "0F91"});
  EXPECT_NE(line.find("octet"), std::string::npos) << line;
}

TEST(PduDecodeCli, MissingHexIsUsageError) { expect_usage_error({"pdu", "decode"}); }

// ------------------------------------------------------------------------- encode

// TS 23.040 9.2.2.2: FO 0x11 (SUBMIT, relative VP), MR 0, DA +4917012345678, PID 0,
// DCS 0, VP 0xA7 (1 day), UDL 5, "Hello" packed. Length excludes the "00" SMSC field.
TEST(PduEncodeCli, HelloWithOneDayValidityIsTheSpecPdu) {
  const json j = run_json(
      {"pdu", "encode", "--to", "+4917012345678", "--text", "Hello", "--validity", "86400"});
  EXPECT_EQ(j["encoding"], "gsm7");
  ASSERT_EQ(j["parts"].size(), 1u);
  EXPECT_EQ(j["parts"][0]["pdu"], "0011000D91947110325476F80000A705C8329BFD06");
  EXPECT_EQ(j["parts"][0]["length"], 20);
}

TEST(PduEncodeCli, RoundTripsThroughDecode) {
  const json j = run_json({"pdu", "encode", "--to", "+4917012345678", "--text", "Hello"});
  ASSERT_EQ(j["parts"].size(), 1u);
  const std::string pdu = j["parts"][0]["pdu"];
  EXPECT_EQ(pdu.substr(0, 2), "00");
  EXPECT_EQ(j["parts"][0]["length"], pdu.size() / 2 - 1);
  const json d = decode(pdu);
  EXPECT_EQ(d["type"], "submit");
  EXPECT_EQ(d["to"], "+4917012345678");
  EXPECT_EQ(d["text"], "Hello");
  EXPECT_EQ(d["status_report"], false);
  EXPECT_TRUE(d["validity"].is_null());
  EXPECT_TRUE(d["class"].is_null());
}

TEST(PduEncodeCli, FlagsReachThePdu) {
  const json j = run_json({"pdu", "encode", "--to", "01701234567", "--text", "x", "--status-report",
                           "--flash", "--validity", "3600", "--mr", "9"});
  const json d = decode(j["parts"][0]["pdu"]);
  EXPECT_EQ(d["to"], "01701234567");
  EXPECT_EQ(d["status_report"], true);
  EXPECT_EQ(d["class"], 0);
  EXPECT_EQ(d["validity"], 3600);  // TP-VP 11: (11 + 1) * 5 minutes
  EXPECT_EQ(d["mr"], 9);
}

TEST(PduEncodeCli, ValidityIsRoundedUpToAStep) {
  const json j = run_json({"pdu", "encode", "--to", "+491701", "--text", "x", "--validity", "301"});
  EXPECT_EQ(decode(j["parts"][0]["pdu"])["validity"], 600);
}

TEST(PduEncodeCli, AlphanumericDestination) {
  const json j = run_json({"pdu", "encode", "--to", "Info", "--text", "x"});
  EXPECT_EQ(decode(j["parts"][0]["pdu"])["to"], "Info");
}

// TS 23.040 9.2.3.16: 160 septets fit one part; 161 need two of at most 153.
TEST(PduEncodeCli, Gsm7PartBoundary) {
  const std::string full(160, 'a');
  EXPECT_EQ(run_json({"pdu", "encode", "--to", "+491701", "--text", full})["parts"].size(), 1u);
  const json two =
      run_json({"pdu", "encode", "--to", "+491701", "--text", full + "b", "--ref", "77"});
  ASSERT_EQ(two["parts"].size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const json d = decode(two["parts"][i]["pdu"]);
    EXPECT_EQ(d["concat"], (json{{"ref", 77}, {"part", i + 1}, {"total", 2}}));
  }
  EXPECT_EQ(joined_text(two), full + "b");
}

// An escape pair is never split between parts (TS 23.038 6.2.1.1); 80 euro signs are
// exactly 160 septets.
TEST(PduEncodeCli, ExtensionCharactersCountTwoAndStayWhole) {
  const std::string euros = repeat("€", 80);
  const json one = run_json({"pdu", "encode", "--to", "+491701", "--text", euros});
  EXPECT_EQ(one["encoding"], "gsm7");
  EXPECT_EQ(one["parts"].size(), 1u);
  const std::string boundary = std::string(152, 'a') + "€" + std::string(10, 'b');
  const json two = run_json({"pdu", "encode", "--to", "+491701", "--text", boundary});
  ASSERT_EQ(two["parts"].size(), 2u);
  EXPECT_EQ(joined_text(two), boundary);
}

// UCS2: 70 characters alone, 67 UTF-16 units per part; a surrogate pair stays whole.
TEST(PduEncodeCli, Ucs2PartBoundaryAndEmoji) {
  const std::string seventy = repeat("Ж", 70);
  const json one = run_json({"pdu", "encode", "--to", "+491701", "--text", seventy});
  EXPECT_EQ(one["encoding"], "ucs2");
  EXPECT_EQ(one["parts"].size(), 1u);
  const std::string boundary = repeat("Ж", 66) + "😀" + repeat("Ж", 5);
  const json two = run_json({"pdu", "encode", "--to", "+491701", "--text", boundary});
  ASSERT_EQ(two["parts"].size(), 2u);
  EXPECT_EQ(joined_text(two), boundary);
}

TEST(PduEncodeCli, ForcedUcs2ForGsmText) {
  const json j =
      run_json({"pdu", "encode", "--to", "+491701", "--text", "Hi", "--encoding", "ucs2"});
  EXPECT_EQ(j["encoding"], "ucs2");
  EXPECT_EQ(decode(j["parts"][0]["pdu"])["text"], "Hi");
}

// TS 23.038 6.2.1.2.4: with the Turkish tables allowed, "ğ" stays GSM 7-bit.
TEST(PduEncodeCli, ShiftTablesAllowGsm7ForNationalLetters) {
  const std::string text = "Ağaç şişe";
  EXPECT_EQ(run_json({"pdu", "encode", "--to", "+90501", "--text", text})["encoding"], "ucs2");
  const json tr =
      run_json({"pdu", "encode", "--to", "+90501", "--text", text, "--shift-tables", "tr"});
  EXPECT_EQ(tr["encoding"], "gsm7");
  EXPECT_EQ(joined_text(tr), text);
  const json names = run_json(
      {"pdu", "encode", "--to", "+90501", "--text", text, "--shift-tables", "turkish,es,pt"});
  EXPECT_EQ(names["encoding"], "gsm7");
}

// ------------------------------------------------------------------- encode errors

TEST(PduEncodeCli, InvalidUtf8TextFails) {
  const std::string line =
      expect_failure({"pdu", "encode", "--to", "+491701", "--text", "ab\xff\xfe"});
  EXPECT_NE(line.find("UTF-8"), std::string::npos) << line;
}

TEST(PduEncodeCli, ForcedGsm7WithCyrillicFails) {
  expect_failure({"pdu", "encode", "--to", "+491701", "--text", "Привет", "--encoding", "gsm7"});
}

TEST(PduEncodeCli, TooManyPartsFails) {
  expect_failure(
      {"pdu", "encode", "--to", "+491701", "--text", std::string(161, 'a'), "--max-parts", "1"});
}

TEST(PduEncodeCli, BadDestinationFails) {
  expect_failure({"pdu", "encode", "--to", "+49-170!", "--text", "x"});
}

TEST(PduEncodeCli, UsageErrorsExitTwo) {
  expect_usage_error({"pdu", "encode", "--to", "+491701", "--text", "x", "--encoding", "latin1"});
  expect_usage_error({"pdu", "encode", "--text", "x"});
  expect_usage_error({"pdu", "encode", "--to", "+491701"});
  expect_usage_error(
      {"pdu", "encode", "--to", "+491701", "--text", "x", "--shift-tables", "klingon"});
  expect_usage_error({"pdu", "encode", "--to", "+491701", "--text", "x", "--max-parts", "0"});
  expect_usage_error({"pdu", "encode", "--to", "+491701", "--text", "x", "--ref", "256"});
  expect_usage_error({"pdu", "encode", "--to", "+491701", "--text", "x", "--validity", "0"});
  expect_usage_error({"pdu", "encode", "--to", "+491701", "--text", "x", "--validity", "abc"});
  expect_usage_error({"pdu"});
  expect_usage_error({"pdu", "frobnicate"});
}

}  // namespace
