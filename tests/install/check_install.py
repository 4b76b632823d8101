#!/usr/bin/env python3
"""Checks what `cmake --install` and `cpack -G DEB` produce from a built tree.

Usage: check_install.py install SOURCE_DIR BUILD_DIR
       check_install.py deb SOURCE_DIR BUILD_DIR

install: installs twice, with DESTDIR and the prefix /usr (the package layout) and with a
plain --prefix into a temporary folder, and checks that every file lands where
cmake/Install.cmake says, with the unit's ExecStart and --config pointing into that prefix
and the installed binaries running.
deb: builds the .deb into a temporary folder and inspects it with dpkg-deb: control fields
(package, computed Depends), conffiles, maintainer scripts, file list, the packaged unit and
the man page and bash completion generated from the CLI (build/doc).
"""
import gzip
import os
import shutil
import stat
import subprocess
import sys
import tempfile

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
    return condition


def run(*args, env=None):
    result = subprocess.run(args, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def expected_unit(source, bindir, sysconfdir, docdir):
    text = read(os.path.join(source, "config/smsgw.service"))
    text = text.replace("ExecStart=/usr/bin/smsgw serve --config /etc/smsgw/smsgw.toml",
                        f"ExecStart={bindir}/smsgw serve --config {sysconfdir}/smsgw/smsgw.toml")
    return text.replace("Documentation=file:///usr/share/doc/smsgw/README.md",
                        f"Documentation=file://{docdir}/README.md")


def expected_config(source):
    return read(os.path.join(source, "config/smsgw.toml")).replace(
        '\npath = "smsgw.db"\n', '\npath = "/var/lib/smsgw/smsgw.db"\n')


def check_generated_docs(build, name, man_page, completion):
    """The man page and completion generated into BUILD/doc, installed unchanged."""
    if check(os.path.isfile(man_page), f"{name}: {man_page} missing"):
        with gzip.open(man_page, "rt", encoding="utf-8") as f:
            check(f.read() == read(os.path.join(build, "doc/smsgw.1")),
                  f"{name}: {man_page} is not the generated build/doc/smsgw.1")
    if check(os.path.isfile(completion), f"{name}: {completion} missing"):
        check(read(completion) == read(os.path.join(build, "doc/smsgw.bash-completion")),
              f"{name}: {completion} is not the generated completion")


def check_tree(source, build, root, prefix, sysconfdir):
    """root: where the prefix is on disk (DESTDIR + prefix); prefix: what the files call it."""
    name = f"install --prefix {prefix}"
    bindir, docdir = f"{prefix}/bin", f"{prefix}/share/doc/smsgw"
    on_disk = lambda path: os.path.join(root, path.lstrip("/")) if root else path
    for binary in ("smsgw", "smsgw-sim"):
        path = on_disk(f"{bindir}/{binary}")
        if check(os.path.isfile(path), f"{name}: {path} missing"):
            check(os.stat(path).st_mode & stat.S_IXUSR, f"{name}: {path} not executable")
            out = subprocess.run([path, "--help"], capture_output=True, text=True)
            check(out.returncode == 0 and binary in out.stdout + out.stderr,
                  f"{name}: {path} --help failed: {out.stderr.strip()}")
    config = on_disk(f"{sysconfdir}/smsgw/smsgw.toml")
    if check(os.path.isfile(config), f"{name}: {config} missing"):
        check(read(config) == expected_config(source),
              f"{name}: {config} is not config/smsgw.toml with the store in /var/lib/smsgw")
    unit = on_disk(f"{prefix}/lib/systemd/system/smsgw.service")
    if check(os.path.isfile(unit), f"{name}: {unit} missing"):
        text = read(unit)
        check(f"\nExecStart={bindir}/smsgw serve --config {sysconfdir}/smsgw/smsgw.toml\n" in text,
              f"{name}: {unit}: ExecStart does not point into the prefix")
        check(text == expected_unit(source, bindir, sysconfdir, docdir),
              f"{name}: {unit} differs from config/smsgw.service beyond its paths")
    rules = on_disk(f"{prefix}/lib/udev/rules.d/90-smsgw.rules")
    if check(os.path.isfile(rules), f"{name}: {rules} missing"):
        check(read(rules) == read(os.path.join(source, "udev/90-smsgw.rules")), f"{name}: {rules} differs")
    for doc, origin in (("README.md", "README.md"), ("smsgw.toml", "config/smsgw.toml"),
                        ("smsgw-sim.md", "tools/sim/README.md"), ("openapi.json", "docs/openapi.json"),
                        ("grafana-dashboard.json", "docs/grafana-dashboard.json"),
                        ("prometheus-alerts.yml", "docs/prometheus-alerts.yml")):
        path = on_disk(f"{docdir}/{doc}")
        if check(os.path.isfile(path), f"{name}: {path} missing"):
            check(read(path) == read(os.path.join(source, origin)), f"{name}: {path} is not {origin}")
    check_generated_docs(build, name, on_disk(f"{prefix}/share/man/man1/smsgw.1.gz"),
                         on_disk(f"{prefix}/share/bash-completion/completions/smsgw"))
    return unit


def check_install(source, build):
    with tempfile.TemporaryDirectory() as tmp:
        destdir = os.path.join(tmp, "destdir")
        run("cmake", "--install", build, "--prefix", "/usr", env=dict(os.environ, DESTDIR=destdir))
        check_tree(source, build, destdir, "/usr", "/etc")
        prefix = os.path.join(tmp, "prefix")
        env = {k: v for k, v in os.environ.items() if k != "DESTDIR"}
        run("cmake", "--install", build, "--prefix", prefix, env=env)
        unit = check_tree(source, build, None, prefix, f"{prefix}/etc")
        # The unit as installed (ExecStart is this prefix's binary) passes systemd's checks.
        if os.path.isfile(unit) and shutil.which("systemd-analyze"):
            out = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True)
            check(out.returncode == 0 and not out.stderr.strip() and not out.stdout.strip(),
                  f"systemd-analyze verify {unit}: {out.stdout}{out.stderr}")


def check_deb(source, build):
    with tempfile.TemporaryDirectory() as tmp:
        run("cpack", "-G", "DEB", "-B", tmp, "--config", os.path.join(build, "CPackConfig.cmake"))
        debs = [f for f in os.listdir(tmp) if f.endswith(".deb")]
        if not check(len(debs) == 1, f"cpack made {debs}, not one .deb"):
            return
        deb = os.path.join(tmp, debs[0])
        check(debs[0].startswith("smsgw_"), f"{debs[0]}: not named after the package smsgw")
        field = lambda name: run("dpkg-deb", "-f", deb, name).strip()
        check(field("Package") == "smsgw", f"Package is {field('Package')!r}")
        depends = [d.strip().split(" ")[0] for d in field("Depends").split(",")]
        # dpkg-shlibdeps adds what the binaries link: the C library, SQLite, libserialport.
        for needed in ("libc6", "libstdc++6", "libsqlite3-0", "libserialport0", "adduser"):
            check(needed in depends, f"Depends lacks {needed}: {field('Depends')}")
        control = os.path.join(tmp, "control")
        run("dpkg-deb", "-e", deb, control)
        conffiles = os.path.join(control, "conffiles")
        check(os.path.isfile(conffiles) and read(conffiles).split() == ["/etc/smsgw/smsgw.toml"],
              "conffiles is not exactly /etc/smsgw/smsgw.toml")
        postinst = os.path.join(control, "postinst")
        if check(os.path.isfile(postinst), "no postinst"):
            text = read(postinst)
            check(os.stat(postinst).st_mode & stat.S_IXUSR, "postinst not executable")
            check("adduser --system" in text and "smsgw dialout" in text,
                  "postinst does not create the system user smsgw in dialout")
            check("udevadm control --reload-rules" in text, "postinst does not reload udev")
        listing = run("dpkg-deb", "-c", deb)
        files = {line.split()[-1] for line in listing.splitlines() if not line.endswith("/")}
        for path in ("./usr/bin/smsgw", "./usr/bin/smsgw-sim", "./etc/smsgw/smsgw.toml",
                     "./usr/lib/systemd/system/smsgw.service", "./usr/lib/udev/rules.d/90-smsgw.rules",
                     "./usr/share/doc/smsgw/README.md", "./usr/share/man/man1/smsgw.1.gz",
                     "./usr/share/bash-completion/completions/smsgw"):
            check(path in files, f".deb lacks {path}")
        check(not any(f.startswith("./usr/local/") for f in files), ".deb installs into /usr/local")
        tree = os.path.join(tmp, "tree")
        run("dpkg-deb", "-x", deb, tree)
        unit = read(os.path.join(tree, "usr/lib/systemd/system/smsgw.service"))
        check(unit == expected_unit(source, "/usr/bin", "/etc", "/usr/share/doc/smsgw"),
              "packaged unit: ExecStart is not /usr/bin/smsgw serve --config /etc/smsgw/smsgw.toml")
        check(read(os.path.join(tree, "etc/smsgw/smsgw.toml")) == expected_config(source),
              "packaged config is not config/smsgw.toml with the store in /var/lib/smsgw")
        check_generated_docs(build, ".deb", os.path.join(tree, "usr/share/man/man1/smsgw.1.gz"),
                             os.path.join(tree, "usr/share/bash-completion/completions/smsgw"))


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("install", "deb"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, source, build = sys.argv[1:]
    (check_install if mode == "install" else check_deb)(os.path.abspath(source), os.path.abspath(build))
    for f in failures:
        print("FAIL:", f)
    print(f"{mode}: {'ok' if not failures else f'{len(failures)} failure(s)'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
