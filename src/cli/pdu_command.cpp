// `smsgw pdu encode|decode`: the codec on the command line, JSON out (contract.md).
// Codec errors: exit 1 with one line on stderr; bad usage: CLI11 ParseError, exit 2.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/cli/commands.hpp"
#include "smsgw/cli/pdu_json.hpp"
#include "smsgw/pdu/pdu.hpp"

namespace smsgw::cli {

namespace {

// TS 23.040 9.2.3.12.1: the longest relative validity period is 63 weeks.
constexpr std::int64_t kMaxValiditySeconds = 63LL * 7 * 24 * 3600;
// TS 23.040 9.2.3.24.1: the part count and the reference are one octet each.
constexpr std::size_t kMaxConcatParts = 255;

struct LanguageName {
  std::string_view name;
  std::string_view short_name;  // ISO 639-1
  pdu::NationalLanguage language;
};
constexpr LanguageName kLanguageNames[] = {
    {"turkish", "tr", pdu::NationalLanguage::turkish},
    {"spanish", "es", pdu::NationalLanguage::spanish},
    {"portuguese", "pt", pdu::NationalLanguage::portuguese},
};

std::optional<pdu::NationalLanguage> language_from_name(std::string_view name) {
  for (const LanguageName& entry : kLanguageNames) {
    if (name == entry.name || name == entry.short_name) return entry.language;
  }
  return std::nullopt;
}

struct EncodeArguments {
  std::string to;
  std::string text;
  bool status_report = false;
  std::optional<std::int64_t> validity_seconds;
  bool flash = false;
  bool reject_duplicates = false;
  std::string encoding = "auto";
  unsigned concat_reference = 0;
  unsigned message_reference = 0;
  std::vector<std::string> shift_tables;
  std::size_t max_parts = 10;
};

struct DecodeArguments {
  std::string hex;
};

// One line on stderr, then exit 1 (contract: failure).
[[noreturn]] void fail(std::string_view command, const Error& error) {
  std::string line = error.message;
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::cerr << "smsgw pdu " << command << ": " << line << " (" << error.code << ")\n";
  throw CliExit{1};
}

void run_encode(const EncodeArguments& args) {
  pdu::SubmitOptions options;
  if (args.encoding == "gsm7") {
    options.encoding = pdu::EncodingChoice::gsm7;
  } else if (args.encoding == "ucs2") {
    options.encoding = pdu::EncodingChoice::ucs2;
  } else {
    options.encoding = pdu::EncodingChoice::automatic;
  }
  options.status_report = args.status_report;
  if (args.validity_seconds) options.validity = std::chrono::seconds{*args.validity_seconds};
  options.flash = args.flash;
  options.reject_duplicates = args.reject_duplicates;
  options.message_reference = static_cast<std::uint8_t>(args.message_reference);
  options.concat_reference = static_cast<std::uint8_t>(args.concat_reference);
  options.max_parts = args.max_parts;
  for (const std::string& name : args.shift_tables) {
    // The validator on --shift-tables has already refused unknown names.
    if (auto language = language_from_name(name)) options.national_languages.push_back(*language);
  }

  Result<pdu::EncodedSubmit> encoded = pdu::encode_submit(args.to, args.text, options);
  if (!encoded) fail("encode", encoded.error());
  std::cout << dump_json_line(encoded_submit_to_json(encoded.value())) << '\n';
}

void run_decode(const DecodeArguments& args) {
  // Surrounding whitespace from a pasted modem line is not part of the PDU.
  const std::string_view whitespace = " \t\r\n";
  std::string_view hex = args.hex;
  hex.remove_prefix(std::min(hex.size(), hex.find_first_not_of(whitespace)));
  const auto last = hex.find_last_not_of(whitespace);
  hex = last == std::string_view::npos ? std::string_view{} : hex.substr(0, last + 1);

  Result<pdu::Decoded> decoded = pdu::decode(hex);
  if (!decoded) fail("decode", decoded.error());
  std::cout << dump_json_line(decoded_to_json(decoded.value())) << '\n';
}

}  // namespace

void add_pdu_command(CLI::App& app) {
  CLI::App* pdu_app =
      app.add_subcommand("pdu", "encode text to SMS-SUBMIT PDUs, decode PDUs (JSON)");
  pdu_app->require_subcommand(1);

  auto encode_args = std::make_shared<EncodeArguments>();
  CLI::App* encode = pdu_app->add_subcommand(
      "encode", "print the SMS-SUBMIT PDUs (after the \"> \" prompt) and AT+CMGS lengths");
  encode
      ->add_option("--to", encode_args->to,
                   "destination: +international, national digits, or alphanumeric")
      ->required();
  encode->add_option("--text", encode_args->text, "message text (UTF-8)")->required();
  encode->add_flag("--status-report", encode_args->status_report,
                   "request a status report (TP-SRR)");
  encode
      ->add_option("--validity", encode_args->validity_seconds,
                   "relative validity period in seconds (rounded up to a TP-VP step)")
      ->check(CLI::Range(std::int64_t{1}, kMaxValiditySeconds));
  encode->add_flag("--flash", encode_args->flash, "class 0 (flash) message");
  encode->add_flag("--reject-duplicates", encode_args->reject_duplicates, "set TP-RD");
  encode
      ->add_option("--encoding", encode_args->encoding,
                   "auto (GSM 7-bit when every character fits, else UCS2), gsm7 or ucs2")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "gsm7", "ucs2"}));
  encode
      ->add_option("--ref", encode_args->concat_reference,
                   "concatenation reference 0-255 (multipart)")
      ->check(CLI::Range(0u, 255u));
  encode
      ->add_option("--mr", encode_args->message_reference,
                   "TP-MR 0-255 (modems usually replace it)")
      ->check(CLI::Range(0u, 255u));
  encode
      ->add_option(
          "--shift-tables", encode_args->shift_tables,
          "national language tables the encoder may use: turkish,spanish,portuguese (or tr,es,pt)")
      ->delimiter(',')
      ->check(CLI::Validator(
          [](std::string& name) -> std::string {
            return language_from_name(name) ? std::string{}
                                            : "unknown national language '" + name +
                                                  "' (turkish|spanish|portuguese|tr|es|pt)";
          },
          "LANGUAGE"));
  encode
      ->add_option("--max-parts", encode_args->max_parts,
                   "refuse texts that need more parts (1-255)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, kMaxConcatParts));
  encode->callback([encode_args] { run_encode(*encode_args); });

  auto decode_args = std::make_shared<DecodeArguments>();
  CLI::App* decode = pdu_app->add_subcommand(
      "decode", "decode a PDU as a modem prints it (hex, SMSC field first) to JSON");
  decode->add_option("HEX", decode_args->hex, "the PDU in hex, starting with the SMSC field")
      ->required();
  decode->callback([decode_args] { run_decode(*decode_args); });
}

}  // namespace smsgw::cli
