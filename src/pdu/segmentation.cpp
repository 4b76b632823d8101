#include "segmentation.hpp"

#include <algorithm>
#include <limits>

#include "gsm7_alphabet.hpp"
#include "octet_reader.hpp"
#include "udh.hpp"
#include "utf.hpp"

namespace smsgw::pdu::detail {
namespace {

// The 8-bit concatenation IE counts parts in one octet (9.2.3.24.1).
constexpr std::size_t kMaxConcatParts = 255;

struct Capacity {
  std::size_t single_part = 0;  // units in a message of one part
  std::size_t per_part = 0;     // units in each part of a concatenated message
};

Capacity gsm7_capacity(bool single_shift, bool locking_shift) {
  auto septets_left = [&](bool concat) {
    const std::size_t header = udh_octets_with_length(concat, single_shift, locking_shift);
    return kMaxSeptets - (header == 0 ? 0 : udh_septets(header));
  };
  return {septets_left(false), septets_left(true)};
}

Capacity ucs2_capacity() {
  return {kMaxOctets / 2, (kMaxOctets - udh_octets_with_length(true, false, false)) / 2};
}

// Greedy split: the index of the first character of each part. Characters are never
// split, so escape pairs and surrogate pairs stay whole; greedy is optimal because
// every character fits in an empty part.
std::vector<std::size_t> split(std::span<const std::uint8_t> costs, const Capacity& capacity) {
  std::size_t total = 0;
  for (auto c : costs) total += c;
  if (total <= capacity.single_part) return {0};
  std::vector<std::size_t> starts{0};
  std::size_t fill = 0;
  for (std::size_t i = 0; i < costs.size(); ++i) {
    if (fill + costs[i] > capacity.per_part) {
      starts.push_back(i);
      fill = 0;
    }
    fill += costs[i];
  }
  return starts;
}

struct Candidate {
  std::optional<NationalLanguage> locking;
  std::optional<NationalLanguage> single;
  std::vector<std::uint8_t> costs;
  std::vector<std::size_t> starts;
  std::size_t total = 0;

  int national_ies() const { return (locking ? 1 : 0) + (single ? 1 : 0); }
};

// Whether `a` is a better choice than `b`: fewer parts, then fewer national IEs, then
// fewer septets.
bool better(const Candidate& a, const Candidate& b) {
  if (a.starts.size() != b.starts.size()) return a.starts.size() < b.starts.size();
  if (a.national_ies() != b.national_ies()) return a.national_ies() < b.national_ies();
  return a.total < b.total;
}

std::optional<Candidate> try_pair(std::span<const CodePoint> text,
                                  std::optional<NationalLanguage> locking,
                                  std::optional<NationalLanguage> single) {
  const Gsm7Alphabet alphabet(locking, single);
  Candidate candidate{locking, single, {}, {}, 0};
  candidate.costs.reserve(text.size());
  for (const auto& c : text) {
    const unsigned cost = alphabet.septets_for(c.value);
    if (cost == 0) return std::nullopt;
    candidate.costs.push_back(static_cast<std::uint8_t>(cost));
    candidate.total += cost;
  }
  candidate.starts = split(candidate.costs, gsm7_capacity(single.has_value(), locking.has_value()));
  return candidate;
}

std::optional<Candidate> best_gsm7(std::span<const CodePoint> text,
                                   std::span<const NationalLanguage> allowed) {
  std::vector<std::optional<NationalLanguage>> lockings{std::nullopt};
  std::vector<std::optional<NationalLanguage>> singles{std::nullopt};
  for (NationalLanguage language : allowed) {
    if (locking_table(language) != nullptr &&
        std::find(lockings.begin(), lockings.end(), language) == lockings.end()) {
      lockings.emplace_back(language);
    }
    if (single_shift_table(language) != nullptr &&
        std::find(singles.begin(), singles.end(), language) == singles.end()) {
      singles.emplace_back(language);
    }
  }
  std::optional<Candidate> best;
  for (const auto& locking : lockings) {
    for (const auto& single : singles) {
      auto candidate = try_pair(text, locking, single);
      if (candidate && (!best || better(*candidate, *best))) best = std::move(candidate);
    }
  }
  return best;
}

Error too_long(std::size_t needed, std::size_t max_parts, Encoding encoding) {
  return make_error("pdu.too_long", "the text needs " + std::to_string(needed) +
                                        (needed == 1 ? " part in " : " parts in ") +
                                        std::string(to_string(encoding)) +
                                        ", more than the maximum of " + std::to_string(max_parts));
}

Error not_gsm7(std::span<const CodePoint> text, std::span<const NationalLanguage> allowed) {
  for (const auto& c : text) {
    bool representable = false;
    std::vector<std::optional<NationalLanguage>> languages{std::nullopt};
    languages.insert(languages.end(), allowed.begin(), allowed.end());
    for (const auto& locking : languages) {
      for (const auto& single : languages) {
        if (Gsm7Alphabet(locking, single).septets_for(c.value) != 0) representable = true;
      }
    }
    if (!representable) {
      return make_error("pdu.not_gsm7",
                        "byte " + std::to_string(c.byte_offset) + ": character " +
                            describe(c.value) + " is not in the GSM 7-bit alphabet" +
                            (allowed.empty() ? "" : " or the allowed national tables"));
    }
  }
  return make_error("pdu.not_gsm7",
                    "the text mixes characters of national tables that cannot be used together");
}

}  // namespace

Result<TextPlan> plan_text(std::string_view utf8_text, EncodingChoice choice,
                           std::span<const NationalLanguage> allowed, std::size_t max_parts) {
  PDU_TRY(text, decode_utf8(utf8_text));
  const std::size_t limit = std::min(max_parts, kMaxConcatParts);
  TextPlan plan;
  if (choice != EncodingChoice::ucs2) {
    if (auto best = best_gsm7(text, allowed)) {
      if (best->starts.size() > limit) return too_long(best->starts.size(), limit, Encoding::gsm7);
      plan.encoding = Encoding::gsm7;
      plan.locking_shift = best->locking;
      plan.single_shift = best->single;
      const Gsm7Alphabet alphabet(best->locking, best->single);
      for (std::size_t p = 0; p < best->starts.size(); ++p) {
        const std::size_t end = p + 1 < best->starts.size() ? best->starts[p + 1] : text.size();
        auto& septets = plan.parts.emplace_back();
        for (std::size_t i = best->starts[p]; i < end; ++i) alphabet.append(septets, text[i].value);
      }
      return plan;
    }
    if (choice == EncodingChoice::gsm7) return not_gsm7(text, allowed);
  }
  std::vector<std::uint8_t> costs;
  costs.reserve(text.size());
  for (const auto& c : text) costs.push_back(static_cast<std::uint8_t>(utf16_units(c.value)));
  const auto starts = split(costs, ucs2_capacity());
  if (starts.size() > limit) return too_long(starts.size(), limit, Encoding::ucs2);
  plan.encoding = Encoding::ucs2;
  for (std::size_t p = 0; p < starts.size(); ++p) {
    const std::size_t end = p + 1 < starts.size() ? starts[p + 1] : text.size();
    auto& octets = plan.parts.emplace_back();
    for (std::size_t i = starts[p]; i < end; ++i) append_utf16be(octets, text[i].value);
  }
  return plan;
}

std::vector<PartUserData> build_user_data(const TextPlan& plan, std::uint8_t concat_reference) {
  std::vector<PartUserData> out;
  const auto total = static_cast<unsigned>(plan.parts.size());
  for (unsigned index = 0; index < total; ++index) {
    std::optional<Concat> concat;
    if (total > 1) concat = Concat{concat_reference, index + 1, total};
    const bool gsm7 = plan.encoding == Encoding::gsm7;
    Bytes header = build_udh(concat, gsm7 ? plan.single_shift : std::nullopt,
                             gsm7 ? plan.locking_shift : std::nullopt);
    if (!header.empty()) header.insert(header.begin(), static_cast<std::uint8_t>(header.size()));
    const auto& payload = plan.parts[index];
    PartUserData part;
    if (gsm7) {
      const std::size_t skip = header.empty() ? 0 : udh_septets(header.size());
      part.user_data = pack_septets(payload, skip);
      std::copy(header.begin(), header.end(), part.user_data.begin());
      part.length = static_cast<std::uint8_t>(skip + payload.size());
    } else {
      part.user_data = header;
      part.user_data.insert(part.user_data.end(), payload.begin(), payload.end());
      part.length = static_cast<std::uint8_t>(part.user_data.size());
    }
    out.push_back(std::move(part));
  }
  return out;
}

}  // namespace smsgw::pdu::detail
