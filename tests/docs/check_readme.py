#!/usr/bin/env python3
"""Checks that the commands README.md tells people to run are the ones that exist and that
the scripts really run. Wording is free; commands are strict.

Usage: check_readme.py SOURCE_DIR SMSGW_BINARY SMSGW_SIM_BINARY

1. The "Quick start" section's shell blocks run exactly `tools/run.sh` and `tools/test.sh`.
2. `.ci/run` runs `tools/test.sh`.
3. Every command in README.md's shell blocks (```sh, ```bash, ```shell, ```console) and
   inline code spans that starts with `tools/...` names an executable script in the tree;
   environment variables set in front of it (`SMSGW_CONFIG=... tools/run.sh`) are read by
   that script. Every `smsgw ...` / `build/src/smsgw ...` / `smsgw-sim ...` command names
   subcommands that `--help` lists and only options that its `--help` lists.
4. The commands tools/run.sh prints for the demo (the here-document after its comment that
   names this checker) appear, token for token, in the shell blocks of README.md's demo
   section (a heading containing "demo"); `--url` with run.sh's default address may be
   left out in the README.
"""
import os
import re
import shlex
import subprocess
import sys

SHELL_LANGS = {"sh", "bash", "shell", "console", "sh-session"}
SEPARATORS = {"&&", "||", ";", "|", "(", ")", "&", ";;"}
failures = []


def fail(message):
    failures.append(message)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def sections(markdown):
    """[(heading, body)] for every heading of level 2 and below; text before the first is ''."""
    result, heading, body, fence = [], "", [], None
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            fence = None if fence else stripped
        if not fence and re.match(r"#{2,6} ", line):
            result.append((heading, "\n".join(body)))
            heading, body = line.lstrip("#").strip(), []
            continue
        body.append(line)
    result.append((heading, "\n".join(body)))
    return result


def shell_blocks(markdown):
    """The text of every fenced block in a shell language (also fences indented in lists)."""
    blocks, current, lang = [], None, None
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            if current is None:
                lang, current = stripped[3:].strip().lower(), []
            else:
                if lang in SHELL_LANGS:
                    blocks.append("\n".join(current))
                current = None
            continue
        if current is not None:
            current.append(stripped[2:] if lang == "console" and stripped.startswith("$ ") else line)
    return blocks


def inline_spans(markdown):
    outside = re.sub(r"```.*?```", "", markdown, flags=re.S)
    return re.findall(r"`([^`\n]+)`", outside)


def logical_lines(text):
    """Lines with backslash continuations joined."""
    return text.replace("\\\n", " ").splitlines()


def commands(line):
    """Simple commands of one shell line: lists of words, comments dropped."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError:
        return []
    result, current = [], []
    for token in tokens:
        if token in SEPARATORS:
            if current:
                result.append(current)
            current = []
        else:
            current.append(token)
    if current:
        result.append(current)
    return result


def split_env(words):
    """(['VAR', ...], rest) for `VAR=value ... cmd args`, also after `sudo`/`exec`."""
    env, i = [], 0
    while i < len(words):
        if re.match(r"^[A-Z_][A-Z0-9_]*=", words[i]):
            env.append(words[i].split("=", 1)[0])
        elif words[i] not in ("sudo", "exec", "env"):
            break
        i += 1
    return env, words[i:]


class Cli:
    """Subcommands and options of a CLI11 binary, read from its --help."""

    def __init__(self, binary):
        self.binary, self.cache, self.usage = binary, {}, {}

    def requires_subcommand(self, path):
        self.help(path)
        return self.usage[path].rstrip().endswith(" SUBCOMMAND")

    def name(self, path):
        return " ".join((os.path.basename(self.binary),) + path)

    def help(self, path):
        if path not in self.cache:
            out = subprocess.run([self.binary, *path, "--help"], capture_output=True, text=True)
            text = out.stdout + out.stderr
            if out.returncode != 0:
                raise SystemExit(f"{self.binary} {' '.join(path)} --help failed: {text}")
            self.usage[path] = next((l for l in text.splitlines() if l.startswith("Usage:")), "")
            subs, in_subs = set(), False
            for line in text.splitlines():
                if re.match(r"^\S.*:$", line):
                    in_subs = line.startswith("Subcommands")
                elif in_subs and re.match(r"^  \S", line):
                    subs.add(line.split()[0])
            # "  --to TEXT  ...": an option followed by its type takes a value; "  --wait" does not.
            options = {}
            for m in re.finditer(r"^\s+((?:-{1,2}[\w-]+,?)+)(?:[ ]([A-Z][\w:]*))?", text, re.M):
                for name in m.group(1).split(","):
                    options[name] = m.group(2) is not None
            self.cache[path] = (subs, options)
        return self.cache[path]

    def check(self, words, where):
        """words: the arguments after the binary."""
        path, takes_value = (), False
        subs, options = self.help(path)
        for word in words:
            word = word.strip("[]")
            if takes_value:
                takes_value = False
                continue
            if not word or word in ("...", "|"):
                continue
            if word.startswith("-"):
                option = word.split("=", 1)[0]
                if option not in options:
                    fail(f"{where}: `{option}` is not an option of `{self.name(path)}`")
                takes_value = options.get(option, False) and "=" not in word
            elif word in subs:
                path += (word,)
                subs, options = self.help(path)
            elif subs:
                fail(f"{where}: `{word}` is not a subcommand of `{self.name(path)}` "
                     f"(it has {', '.join(sorted(subs))})")
                return
            else:
                subs = set()  # positionals follow; no subcommand below a leaf
        if subs and self.requires_subcommand(path):
            fail(f"{where}: `{self.name(path)}` needs a subcommand")


def check_command(words, where, source, smsgw, sim):
    env, words = split_env(words)
    if not words:
        return
    program = words[0]
    if program.startswith("tools/"):
        script = os.path.join(source, program)
        if not os.path.isfile(script):
            fail(f"{where}: {program} does not exist")
        elif not os.access(script, os.X_OK):
            fail(f"{where}: {program} is not executable")
        else:
            text = read(script)
            for var in env:
                if var not in text:
                    fail(f"{where}: {program} does not read {var}")
    elif program in ("smsgw", "build/src/smsgw") or program.endswith("/src/smsgw"):
        if len(words) > 1:
            smsgw.check(words[1:], where)
    elif program == "smsgw-sim" or program.endswith("/smsgw-sim"):
        if len(words) > 1:
            sim.check(words[1:], where)


def normalise(words, default_url):
    """A command's words without `--url <run.sh's default>` (the CLI's own default)."""
    out, skip = [], False
    for i, word in enumerate(words):
        if skip:
            skip = False
        elif word == "--url" and i + 1 < len(words) and words[i + 1] == default_url:
            skip = True
        elif word == f"--url={default_url}":
            pass
        else:
            out.append(word)
    return out


def run_sh_demo_commands(script_text):
    """The commands tools/run.sh prints for the demo, with its variables at their defaults."""
    values = {}
    for m in re.finditer(r"^([a-z_]+)=(\S+)$", script_text, re.M):
        name, value = m.groups()
        value = re.sub(r"^\$\{[A-Z_0-9]+:-(.*)\}$", r"\1", value)
        if "$(" in value or "`" in value:
            continue
        values.setdefault(name, value)

    def expand(text):
        for _ in range(5):
            text = re.sub(r"\$\{?([a-z_]+)\}?", lambda m: values.get(m.group(1), m.group(0)), text)
        return text

    for name in list(values):
        values[name] = expand(values[name])
    marker = script_text.find("check_readme.py")
    if marker < 0:
        raise SystemExit("tools/run.sh: no comment naming tests/docs/check_readme.py before its demo text")
    m = re.compile(r"<<-?\s*'?(\w+)'?\n(.*?)\n\1\n", re.S).search(script_text, marker)
    if not m:
        raise SystemExit("tools/run.sh: no here-document after the check_readme.py comment")
    text = m.group(2).replace("\\\\", "\x00").replace("\\$", "$")
    text = expand(text).replace("\x00", "\\")
    smsgw = values.get("smsgw", "build/src/smsgw")
    found = []
    for line in logical_lines(text):
        first = line.split()[0] if line.split() else ""
        if first == "curl" or first == smsgw or first.endswith("/smsgw") or first.endswith("/smsgw-sim"):
            found.extend(commands(line))
    return found, values.get("url", "http://127.0.0.1:8080")


def main(source, smsgw_binary, sim_binary):
    readme = read(os.path.join(source, "README.md"))
    smsgw, sim = Cli(smsgw_binary), Cli(sim_binary)
    parts = sections(readme)

    # 1. Quick start.
    quick = [body for heading, body in parts if "quick start" in heading.lower()]
    if len(quick) != 1:
        fail(f"README.md: {len(quick)} sections with 'Quick start' in the heading (want 1)")
    else:
        found = [split_env(c)[1][0] for block in shell_blocks(quick[0])
                 for line in logical_lines(block) for c in commands(line) if split_env(c)[1]]
        if sorted(found) != ["tools/run.sh", "tools/test.sh"]:
            fail(f"README.md Quick start runs {found}, not exactly tools/run.sh and tools/test.sh")

    # 2. CI runs the README's test command.
    ci = os.path.join(source, ".ci/run")
    ci_commands = [split_env(c)[1] for line in logical_lines(read(ci)) if not line.lstrip().startswith("#")
                   for c in commands(line)] if os.path.isfile(ci) else []
    if not any(c and c[0] == "tools/test.sh" for c in ci_commands):
        fail(".ci/run does not run tools/test.sh")

    # 3. Every command in the README exists.
    checked = 0
    for n, block in enumerate(shell_blocks(readme), 1):
        for line in logical_lines(block):
            for words in commands(line):
                check_command(words, f"README.md shell block {n}: {line.strip()[:70]}", source, smsgw, sim)
                checked += 1
    for span in inline_spans(readme):
        words = commands(span)
        program = split_env(words[0])[1][0] if words and split_env(words[0])[1] else ""
        # A path such as `tools/sim/README.md` is a reference, not a command.
        if re.match(r"^(tools/[\w/.-]+\.(sh|py)|smsgw|smsgw-sim|build/[\w/.-]+/smsgw(-sim)?)$", program):
            for w in words:
                check_command(w, f"README.md `{span}`", source, smsgw, sim)
                checked += 1

    # 4. What tools/run.sh prints is what the README's demo section shows.
    printed, default_url = run_sh_demo_commands(read(os.path.join(source, "tools/run.sh")))
    if not printed:
        fail("tools/run.sh prints no commands in its demo text")
    demo = [body for heading, body in parts if "demo" in heading.lower()]
    if not demo:
        fail("README.md has no section with 'demo' in its heading")
    else:
        shown = [normalise(c, default_url) for body in demo for block in shell_blocks(body)
                 for line in logical_lines(block) for c in commands(line)]
        for cmd in printed:
            if normalise(cmd, default_url) not in shown:
                fail(f"tools/run.sh prints `{shlex.join(cmd)}`, which README.md's demo section does not show")

    for f in failures:
        print("FAIL:", f)
    print(f"{checked} README commands, {len(printed)} demo commands checked; {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
