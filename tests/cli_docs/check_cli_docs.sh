#!/usr/bin/env bash
# The generated man page and bash completion cover every command the binary has: the command
# tree is read back from `smsgw ... --help` (CLI11's own listing), independently of the
# generator, and each command and option must be in the man page and completed by bash.
# man(1) renders the page without warnings where man-db is installed.
# Usage: check_cli_docs.sh SMSGW_BINARY MAN_PAGE BASH_COMPLETION
set -uo pipefail
binary=$(realpath "$1") man_page=$(realpath "$2") completion=$(realpath "$3")
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The subcommands and long options `smsgw PATH --help` lists.
subcommands_of() {
  "$binary" "$@" --help | awk '/^Subcommands:/ { listing = 1; next } listing && /^  [a-z]/ { print $1 }'
}
options_of() {
  "$binary" "$@" --help | sed -n '/^Options:/,/^$/p' | grep -oE '^  (-[a-zA-Z],)?--[a-z][a-z0-9-]*' |
    sed -E 's/^  (-[a-zA-Z],)?//'
}

# COMPREPLY for a command line whose last word is being completed ("" completes a new word).
complete_line() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _smsgw; echo "${COMPREPLY[*]}"' \
    _ "$completion" "$@"
}
expect_completion() {  # EXPECTED_WORD WORDS...
  local expected=$1
  shift
  local got
  got=$(complete_line "$@")
  [[ " $got " == *" $expected "* ]] || fail "completing '$*' gave '$got', not '$expected'"
}

man_text=$(sed 's/\\-/-/g' "$man_page")
paths=()
walk() {
  local sub
  for sub in $(subcommands_of "$@"); do
    paths+=("$* $sub")
    walk "$@" "$sub"
  done
}
walk
((${#paths[@]} >= 10)) || fail "only ${#paths[@]} commands found in --help: ${paths[*]}"

for path in "${paths[@]}"; do
  path=${path# }
  read -ra words <<<"$path"
  grep -qxF ".SS \"smsgw $path\"" <<<"$man_text" || fail "man page has no section for 'smsgw $path'"
  # The command completes from its first two letters, after its parent command.
  last=${words[-1]}
  expect_completion "$last" smsgw "${words[@]:0:${#words[@]}-1}" "${last:0:2}"
  for option in $(options_of "${words[@]}"); do
    [[ $option == --help ]] && continue
    grep -qF "\\fB$option\\fR" "$man_page" ||
      grep -qF "\\fB${option//-/\\-}\\fR" "$man_page" || fail "man page lacks $option of '$path'"
    expect_completion "$option" smsgw "${words[@]}" "${option:0:4}"
  done
done

# Values: a CLI11 IsMember check's choices, and file names for a file option.
expect_completion gsm7 smsgw pdu encode --encoding ""
expect_completion ucs2 smsgw pdu encode --to +49151 --encoding u
expect_completion delivered smsgw messages --status d
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
touch "$dir/gateway.toml"
got=$(cd "$dir" && complete_line smsgw serve --config gate)
[[ $got == gateway.toml ]] || fail "completing a --config file name gave '$got'"
# After an option's value, subcommands and options complete again.
expect_completion --wait smsgw send --to +49151 --w
expect_completion encode smsgw pdu en
# Hidden commands stay out of both.
grep -qF '.SS "smsgw man' <<<"$man_text" && fail "the man page lists the hidden man-page command"
[[ -z $(complete_line smsgw man-pa) ]] || fail "completion offers the hidden man-page command"

if command -v man >/dev/null; then
  warnings=$(MANWIDTH=80 man --warnings -E UTF-8 -l "$man_page" 2>&1 >/dev/null)
  [[ -z $warnings ]] || fail "man --warnings -l: $warnings"
  rendered=$(MANWIDTH=80 man -E UTF-8 -l "$man_page" 2>/dev/null)
  grep -q '^NAME' <<<"$rendered" && grep -q 'smsgw pdu encode' <<<"$rendered" ||
    fail "man -l did not render the page"
else
  echo "man not installed: rendering not checked"
fi

echo "${#paths[@]} commands checked, $failures failure(s)"
((failures == 0))
