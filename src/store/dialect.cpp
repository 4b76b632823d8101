#include "dialect.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>

#include "migrations.hpp"

namespace smsgw::store::dialect {
namespace {

// A call matched byte for byte whose function name (the first `name_length` bytes of
// `call`) PostgreSQL spells `postgres_name`. Add entries only when no spelling is common
// to both engines.
struct Rename {
  std::string_view call;
  std::size_t name_length;
  std::string_view postgres_name;
};

constexpr std::array kRenames{
    // DUE_TIME_SQL (migrations.hpp): SQLite's scalar MAX of two values is GREATEST.
    Rename{DUE_TIME_SQL, 3, "GREATEST"},
};

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

bool is_blank(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// True when `word` (upper case) starts at `at`, case-insensitively, as a whole word.
bool word_at(std::string_view sql, std::size_t at, std::string_view word) {
  if (at > 0 && is_word_char(sql[at - 1])) return false;
  if (sql.size() - at < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(sql[at + i])) != word[i]) return false;
  }
  const std::size_t end = at + word.size();
  return end == sql.size() || !is_word_char(sql[end]);
}

std::size_t skip_blanks(std::string_view sql, std::size_t at) {
  while (at < sql.size() && is_blank(sql[at])) ++at;
  return at;
}

// The end of the quoted token that starts at `at` (its opening `quote`); a doubled quote
// is an escaped one. An unterminated token runs to the end.
std::size_t quoted_end(std::string_view sql, std::size_t at, char quote) {
  std::size_t i = at + 1;
  while (i < sql.size()) {
    if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return sql.size();
}

// The end of `INDEXED BY <name>` and its trailing blanks when it starts at `at`, else 0.
std::size_t indexed_by_end(std::string_view sql, std::size_t at) {
  if (!word_at(sql, at, "INDEXED")) return 0;
  std::size_t i = skip_blanks(sql, at + 7);
  if (i == at + 7 || !word_at(sql, i, "BY")) return 0;
  const std::size_t name = skip_blanks(sql, i + 2);
  if (name == i + 2 || name == sql.size()) return 0;
  std::size_t end = name;
  if (sql[name] == '"') {
    end = quoted_end(sql, name, '"');
  } else {
    while (end < sql.size() && is_word_char(sql[end])) ++end;
    if (end == name) return 0;
  }
  return skip_blanks(sql, end);
}

}  // namespace

Rewritten rewrite(std::string_view sql) {
  Rewritten out;
  out.sql.reserve(sql.size() + 16);
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      const std::size_t end = quoted_end(sql, i, c);
      out.sql.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t newline = sql.find('\n', i);
      const std::size_t end = newline == std::string_view::npos ? sql.size() : newline;
      out.sql.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const std::size_t close = sql.find("*/", i + 2);
      const std::size_t end = close == std::string_view::npos ? sql.size() : close + 2;
      out.sql.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '?') {
      std::size_t end = i + 1;
      while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end])) != 0) ++end;
      int number = out.parameters + 1;
      if (end > i + 1) {
        number = 0;
        for (std::size_t d = i + 1; d < end; ++d) number = number * 10 + (sql[d] - '0');
      }
      out.parameters = std::max(out.parameters, number);
      out.sql += '$';
      out.sql += std::to_string(number);
      i = end;
    } else if (const std::size_t hint_end = indexed_by_end(sql, i); hint_end != 0) {
      i = hint_end;
    } else {
      const auto rename = std::find_if(kRenames.begin(), kRenames.end(), [&](const Rename& r) {
        return sql.substr(i).starts_with(r.call) && (i == 0 || !is_word_char(sql[i - 1]));
      });
      if (rename != kRenames.end()) {
        out.sql.append(rename->postgres_name);
        i += rename->name_length;
      } else if (is_word_char(c)) {
        // A whole word at once, so no rule matches inside an identifier.
        std::size_t end = i;
        while (end < sql.size() && is_word_char(sql[end])) ++end;
        out.sql.append(sql.substr(i, end - i));
        i = end;
      } else {
        out.sql += c;
        ++i;
      }
    }
  }
  return out;
}

std::string to_postgres(std::string_view sqlite_sql) { return rewrite(sqlite_sql).sql; }

}  // namespace smsgw::store::dialect
