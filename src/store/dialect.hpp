// The PostgreSQL spelling of the store's SQL (design decision 2: one SQL text for both
// engines). The store writes SQLite syntax that PostgreSQL also accepts; the PostgreSQL
// connection rewrites each statement once, when it prepares it. Pure: no I/O, no state.
//
// Contract of rewrite() / to_postgres():
// - `?NNN` becomes `$NNN`; a bare `?` becomes `$K` where K is one more than the largest
//   parameter number seen so far in the statement (SQLite's rule, lang_expr.html
//   "Parameters"), so `?, ?5, ?` reads as `$1, $5, $6`.
// - `INDEXED BY <index name>` (an SQLite planner hint PostgreSQL has no use for) is removed,
//   with the blanks that follow it.
// - A short replacement table renames the function of calls that have no common spelling
//   (SQLite's two-argument scalar MAX is PostgreSQL's GREATEST); the call is matched
//   textually, byte for byte, and only its name is replaced, so its parameters are
//   rewritten as anywhere else.
// - Nothing is rewritten inside '...' string literals (with '' escapes), "..." quoted
//   identifiers (with "" escapes), -- line comments or /* */ block comments.
#pragma once

#include <string>
#include <string_view>

namespace smsgw::store::dialect {

struct Rewritten {
  std::string sql;     // the PostgreSQL text
  int parameters = 0;  // the largest parameter number it uses ($1..$parameters), 0 if none
};

Rewritten rewrite(std::string_view sqlite_sql);

// rewrite(sqlite_sql).sql.
std::string to_postgres(std::string_view sqlite_sql);

}  // namespace smsgw::store::dialect
