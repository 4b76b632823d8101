#!/usr/bin/env python3
"""Checks docs/grafana-dashboard.json and docs/prometheus-alerts.yml.

Usage: check_ops_files.py SOURCE_DIR

Both parse (the YAML with python3-yaml when installed, else with a reader for the rule
file's simple shape); every smsgw_* metric their queries name is one /metrics exports (the
families written in src/http/prometheus.cpp, with a histogram's _bucket, _sum and _count)
or one of CONCURRENT below; every query's brackets balance; the dashboard's panels have
unique ids, queries and places on the 24-column grid; each alert rule has a name, a query,
a severity and a summary; and both cover what they are for (COVERED_* below).
"""
import json
import os
import re
import sys

# Exported by code being written at the same time on another branch; drop from here once
# src/http/prometheus.cpp writes them.
CONCURRENT = {"smsgw_client_submissions_total", "smsgw_modem_paused"}
COVERED_BY_DASHBOARD = {
    "smsgw_modem_up", "smsgw_modem_state", "smsgw_modem_signal_dbm", "smsgw_modem_parts_total",
    "smsgw_queue_depth", "smsgw_modem_balance", "smsgw_webhook_outbox_pending",
    "smsgw_webhook_outbox_oldest_seconds", "smsgw_inbound_messages_total",
    "smsgw_client_submissions_total", "smsgw_modem_paused",
}
COVERED_BY_ALERTS = {  # modem down, queue growing, balance low, outbox stuck
    "smsgw_modem_up", "smsgw_queue_depth", "smsgw_modem_paused",
    "smsgw_webhook_outbox_oldest_seconds",
}
METRIC = re.compile(r"\bsmsgw_[a-z0-9_]+")
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
    return condition


def exported_metrics(source):
    with open(os.path.join(source, "src/http/prometheus.cpp"), encoding="utf-8") as f:
        text = f.read()
    names = set()
    for name, kind in re.findall(r'family\(\s*"(smsgw_[a-z0-9_]+)",\s*"([a-z]+)"', text):
        names.add(name)
        if kind == "histogram":
            names.update(name + suffix for suffix in ("_bucket", "_sum", "_count"))
    return names


def balanced(expr):
    pairs, stack = {")": "(", "]": "[", "}": "{"}, []
    in_string = False
    for c in expr:
        if c == '"':
            in_string = not in_string
        elif in_string:
            continue
        elif c in "([{":
            stack.append(c)
        elif c in pairs and (not stack or stack.pop() != pairs[c]):
            return False
    return not stack and not in_string


def check_expr(where, expr, known, used):
    check(isinstance(expr, str) and expr.strip(), f"{where}: no query")
    if not isinstance(expr, str):
        return
    check(balanced(expr), f"{where}: unbalanced brackets or quotes in {expr!r}")
    for name in METRIC.findall(expr):
        used.add(name)
        check(name in known, f"{where}: {name} is not a metric smsgw exports")


def check_dashboard(path, known):
    with open(path, encoding="utf-8") as f:
        dashboard = json.load(f)
    check(dashboard.get("title") and dashboard.get("uid"), "dashboard: no title or uid")
    panels = dashboard.get("panels", [])
    check(len(panels) > 10, f"dashboard: only {len(panels)} panels")
    ids, used = set(), set()
    for panel in panels:
        where = f"dashboard panel {panel.get('title')!r}"
        check(panel.get("id") not in ids, f"{where}: id {panel.get('id')} twice")
        ids.add(panel.get("id"))
        grid = panel.get("gridPos", {})
        check(all(isinstance(grid.get(k), int) for k in "xywh") and grid["x"] + grid["w"] <= 24,
              f"{where}: gridPos {grid} is not on the 24-column grid")
        if panel.get("type") == "row":
            continue
        targets = panel.get("targets", [])
        check(targets, f"{where}: no queries")
        for target in targets:
            check_expr(where, target.get("expr"), known, used)
    for variable in dashboard.get("templating", {}).get("list", []):
        query = variable.get("query")
        if isinstance(query, dict):
            query = query.get("query")
        if variable.get("type") == "query":
            check_expr(f"dashboard variable {variable.get('name')}", query, known, used)
    missing = COVERED_BY_DASHBOARD - used
    check(not missing, f"dashboard: no panel shows {sorted(missing)}")


def read_rules_simply(text):
    """The rule file's shape without a YAML library: groups of rules whose keys are plain
    `key: value` lines, with labels and annotations one level deeper."""
    groups, rule, section = [], None, None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        key, _, value = line.strip().lstrip("- ").partition(":")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = json.loads(value)
        if line.strip().startswith("- name:"):
            groups.append({"name": value, "rules": []})
        elif line.strip().startswith("- alert:"):
            rule, section = {"alert": value}, None
            groups[-1]["rules"].append(rule)
        elif rule is not None and key in ("labels", "annotations") and not value:
            section = rule.setdefault(key, {})
        elif rule is not None and section is not None and indent > 8:
            section[key] = value
        elif rule is not None:
            rule[key], section = value, None
    return {"groups": groups}


def check_alerts(path, known):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        import yaml
        rules_file = yaml.safe_load(text)
    except ImportError:
        rules_file = read_rules_simply(text)
    groups = rules_file.get("groups") if isinstance(rules_file, dict) else None
    if not check(isinstance(groups, list) and groups, "alerts: no groups"):
        return
    names, used = set(), set()
    for group in groups:
        check(group.get("name"), "alerts: a group without a name")
        for rule in group.get("rules", []):
            name = rule.get("alert")
            where = f"alert {name}"
            check(name and name not in names, f"{where}: no name, or the name twice")
            names.add(name)
            check_expr(where, rule.get("expr"), known, used)
            check(re.fullmatch(r"\d+[smhd]", str(rule.get("for", "0s"))), f"{where}: bad for")
            check(rule.get("labels", {}).get("severity") in ("critical", "warning", "info"),
                  f"{where}: severity is not critical, warning or info")
            check(rule.get("annotations", {}).get("summary"), f"{where}: no summary")
    check(len(names) >= 4, f"alerts: only {len(names)} rules")
    missing = COVERED_BY_ALERTS - used
    check(not missing, f"alerts: no rule watches {sorted(missing)}")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source = os.path.abspath(sys.argv[1])
    known = exported_metrics(source) | CONCURRENT
    check(len(known) > 15, f"only {len(known)} metric families found in src/http/prometheus.cpp")
    check_dashboard(os.path.join(source, "docs/grafana-dashboard.json"), known)
    check_alerts(os.path.join(source, "docs/prometheus-alerts.yml"), known)
    for f in failures:
        print("FAIL:", f)
    print(f"ops files: {'ok' if not failures else f'{len(failures)} failure(s)'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
