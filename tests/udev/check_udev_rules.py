#!/usr/bin/env python3
"""Checks udev/90-smsgw.rules: every line parses as udev rule syntax, every GOTO has its
LABEL, and an evaluator of the subset of udev semantics the file uses (udev(7): match keys
==/!= with shell globs and '|' alternatives, ATTRS/SUBSYSTEMS matched on one device of the
parent chain, ENV assignments, IMPORT{builtin}, GOTO/LABEL, $env{} substitution) gives the
expected names, group, mode and ModemManager flag for fixture devices modelled on real
modems."""
import fnmatch
import re
import sys

RULE_TOKEN = re.compile(r'\s*([A-Z_]+)(?:\{([^}]*)\})?\s*(==|!=|\+=|-=|:=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)')
MATCH_KEYS = {"ACTION", "SUBSYSTEM", "SUBSYSTEMS", "KERNEL", "KERNELS", "ATTRS", "ATTR", "ENV", "DRIVERS"}
ASSIGN_KEYS = {"ENV", "GROUP", "MODE", "SYMLINK", "IMPORT", "GOTO", "LABEL", "OWNER", "TAG", "RUN"}


def parse(path):
    rules = []
    lines = open(path, encoding="utf-8").read().replace("\\\n", "").splitlines()
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        tokens, pos = [], 0
        while pos < len(text):
            m = RULE_TOKEN.match(text, pos)
            if not m:
                raise SystemExit(f"{path}:{number}: cannot parse near: {text[pos:]!r}")
            key, attr, op, value, _ = m.groups()
            if op in ("==", "!=") and key not in MATCH_KEYS:
                raise SystemExit(f"{path}:{number}: {key} is not a match key")
            if op not in ("==", "!=") and key not in ASSIGN_KEYS:
                raise SystemExit(f"{path}:{number}: {key} cannot be assigned")
            tokens.append((key, attr, op, value))
            pos = m.end()
        rules.append((number, tokens))
    labels = {v for _, toks in rules for k, _, _, v in toks if k == "LABEL"}
    for number, toks in rules:
        for k, _, _, v in toks:
            if k == "GOTO" and v not in labels:
                raise SystemExit(f"{path}:{number}: GOTO {v} has no LABEL")
    return rules


def glob_match(pattern, value):
    return any(fnmatch.fnmatchcase(value, alt) for alt in pattern.split("|"))


def evaluate(rules, device):
    env = dict(device.get("env", {}))
    result = {"symlinks": [], "group": None, "mode": None}
    chain = [device] + device["parents"]
    goto = None
    for _, tokens in rules:
        if goto is not None:
            if any(k == "LABEL" and v == goto for k, _, _, v in tokens):
                goto = None
            continue
        matched = True
        parent_keys = [(k, a, op, v) for k, a, op, v in tokens if k in ("ATTRS", "SUBSYSTEMS") and op in ("==", "!=")]
        for key, attr, op, value in tokens:
            if op not in ("==", "!="):
                continue
            if key == "ACTION":
                ok = glob_match(value, device["action"])
            elif key == "SUBSYSTEM":
                ok = glob_match(value, device["subsystem"])
            elif key == "ENV":
                ok = glob_match(value, env.get(attr, ""))
            elif key in ("ATTRS", "SUBSYSTEMS"):
                continue
            else:
                raise SystemExit(f"evaluator does not know {key}")
            if (op == "==") != ok:
                matched = False
                break
        if matched and parent_keys:
            def fits(dev):
                for key, attr, op, value in parent_keys:
                    actual = dev.get("subsystem", "") if key == "SUBSYSTEMS" else dev.get("attrs", {}).get(attr)
                    ok = actual is not None and glob_match(value, actual)
                    if (op == "==") != ok:
                        return False
                return True
            matched = any(fits(dev) for dev in chain)
        if not matched:
            continue
        for key, attr, op, value in tokens:
            value = re.sub(r"\$env\{([^}]*)\}", lambda m: env.get(m.group(1), ""), value)
            if key == "ENV" and op in ("=", ":="):
                env[attr] = value
            elif key == "IMPORT" and attr == "builtin":
                env.update(device["builtins"].get(value, {}))
            elif key == "SYMLINK":
                result["symlinks"].append(value)
            elif key == "GROUP":
                result["group"] = value
            elif key == "MODE":
                result["mode"] = value
            elif key == "GOTO":
                goto = value
    result["env"] = env
    return result


def usb_tty(vendor, product, interface, path, driver="option", cls="ff", sub="ff", proto="ff", action="add"):
    tag = f"pci-0000_00_14_0-usb-0_{path.replace('.', '_')}_1_{int(interface)}"
    return {
        "action": action, "subsystem": "tty",
        "parents": [
            {"subsystem": "usb-serial", "attrs": {}},
            {"subsystem": "usb", "attrs": {"bInterfaceNumber": interface, "bInterfaceClass": cls,
                                          "bInterfaceSubClass": sub, "bInterfaceProtocol": proto}},
            {"subsystem": "usb", "attrs": {"idVendor": vendor, "idProduct": product}},
        ],
        "builtins": {"usb_id": {"ID_USB_INTERFACE_NUM": interface, "ID_USB_DRIVER": driver,
                                "ID_VENDOR_ID": vendor, "ID_MODEL_ID": product},
                     "path_id": {"ID_PATH_TAG": tag}},
    }


def main(path):
    rules = parse(path)
    failures = []

    checks = []

    def expect(name, device, at_link, port_link):
        checks.append(name)
        r = evaluate(rules, device)
        want = ([f"smsgw/ports/{port_link}"] if port_link else []) + ([f"smsgw/{at_link}"] if at_link else [])
        if sorted(r["symlinks"]) != sorted(want):
            failures.append(f"{name}: symlinks {r['symlinks']} != {want}")
        if port_link:
            if r["group"] != "dialout" or r["mode"] != "0660":
                failures.append(f"{name}: group/mode {r['group']}/{r['mode']}")
            if r["env"].get("ID_MM_DEVICE_IGNORE") != "1":
                failures.append(f"{name}: ModemManager not told to ignore it")
        elif r["group"] or r["mode"] or r["env"].get("ID_MM_DEVICE_IGNORE"):
            failures.append(f"{name}: a device that is not a modem was touched")
        return r

    q = "pci-0000_00_14_0-usb-0_1_2_1_{}"
    expect("quectel EC25 if02 is the AT port", usb_tty("2c7c", "0125", "02", "1.2"), "quectel-" + q.format(2), "quectel-" + q.format(2))
    expect("quectel EC25 if00 is DIAG", usb_tty("2c7c", "0125", "00", "1.2"), None, "quectel-" + q.format(0))
    expect("huawei E3372 PCUI", usb_tty("12d1", "1506", "02", "1.2", sub="02", proto="02"), "huawei-" + q.format(2), "huawei-" + q.format(2))
    expect("huawei modem port", usb_tty("12d1", "1506", "00", "1.2", sub="02", proto="01"), None, "huawei-" + q.format(0))
    expect("simcom 7600 if02", usb_tty("1e0e", "9001", "02", "1.2"), "simcom-" + q.format(2), "simcom-" + q.format(2))
    expect("simcom A7600 if04", usb_tty("1e0e", "9011", "04", "1.2"), "simcom-" + q.format(4), "simcom-" + q.format(4))
    expect("simcom A7600 if02 not AT", usb_tty("1e0e", "9011", "02", "1.2"), None, "simcom-" + q.format(2))
    expect("sierra MC7455 if03", usb_tty("1199", "9071", "03", "1.2", driver="qcserial"), "sierra-" + q.format(3), "sierra-" + q.format(3))
    expect("u-blox ACM", usb_tty("1546", "1102", "00", "1.2", driver="cdc_acm", cls="02", sub="02", proto="01"), "ublox-" + q.format(0), "ublox-" + q.format(0))
    expect("zte: probe only", usb_tty("19d2", "0031", "02", "1.2"), None, "zte-" + q.format(2))
    expect("an unrelated USB serial adapter", usb_tty("0403", "6001", "00", "1.2", driver="ftdi_sio"), None, None)
    a = evaluate(rules, usb_tty("12d1", "1506", "02", "1.3", sub="02", proto="02"))
    b = evaluate(rules, usb_tty("12d1", "1506", "02", "1.4", sub="02", proto="02"))
    checks.append("identical sticks")
    if set(a["symlinks"]) & set(b["symlinks"]):
        failures.append("two identical Huawei sticks in different sockets collide")
    removed = evaluate(rules, usb_tty("2c7c", "0125", "02", "1.2", action="remove"))
    checks.append("remove event")
    if removed["symlinks"]:
        failures.append("a remove event created links")
    for f in failures:
        print("FAIL:", f)
    print(f"{len(checks) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "udev/90-smsgw.rules"))
