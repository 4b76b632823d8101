// The GSM 7-bit tables the codec encodes with, for clients that count septets as it does
// (the dashboard's part counter, through GET /api/v1/info): TS 23.038 6.2.1 (default
// alphabet), 6.2.1.1 (its extension table) and Annex A.2/A.3 (national single-shift and
// locking-shift tables).
//
// Contract: a table is its 128 characters by code 0x00..0x7F, 0 where the code has none:
// the escape 0x1B in every table, and the unassigned codes of single-shift tables. These are
// the codec's own tables (src/pdu/gsm7_tables.cpp), read, not copied. Pure.
#pragma once

#include <array>
#include <optional>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu {

using Gsm7CodePoints = std::array<char32_t, 128>;

// The locking-shift table of `language`, the default alphabet without one; nullopt when
// the language has no locking-shift table (Spanish: TS 23.038 A.3 defines none).
std::optional<Gsm7CodePoints> locking_shift_code_points(std::optional<NationalLanguage> language);

// The single-shift table of `language`, the default alphabet's extension table without one.
Gsm7CodePoints single_shift_code_points(std::optional<NationalLanguage> language);

}  // namespace smsgw::pdu
