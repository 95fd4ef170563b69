#!/usr/bin/env python3
"""records.py: checks synscan's -oJ (NDJSON) and --csv record files.

Usage: records.py ndjson FILE [--status S] [--ports N] [--deviations N]
       records.py csv FILE [--status S] [--ports N] [--deviations N] [--same-as NDJSON]

NDJSON: every line is validated against tests/schema/records.schema.json
(with python3-jsonschema; without it, by a small checker reading the same
schema's required keys, allowed keys, consts, enums and patterns). CSV: the
header, ten fields a row, LF line ends, each type's columns.

Both: the file is one or more runs, each a begin record, then port and
host records, then an end record; a run after the first continues it
(begin "resumed", the same scan id). No (ip, port) has two port records in
the file (a resumed scan too) and no ip two host records in one run. --status: the last end record's status;
--ports: how many port records; --deviations: how many carry a deviation;
--same-as: the CSV's port rows are the NDJSON file's port records.
Prints one "# " line per problem; exit 0 when there is none, 1 otherwise.
"""
import csv
import json
import os
import re
import sys

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schema",
                      "records.schema.json")
HEADER = ["type", "time", "ip", "port", "proto", "state", "reason", "ttl", "deviation", "info"]
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def schema_validator():
    schema = json.load(open(SCHEMA))
    try:
        import jsonschema
    except ImportError:
        return lambda rec: hand_check(schema, rec)
    jsonschema.Draft202012Validator.check_schema(schema)
    whole = jsonschema.Draft202012Validator(schema)
    # each type's own rules, for messages that name the key at fault
    each = {t: jsonschema.Draft202012Validator({"$ref": f"#/$defs/{t}", "$defs": schema["$defs"]})
            for t in ("begin", "port", "host", "end")}

    def valid(rec):
        v = each.get(rec.get("type") if isinstance(rec, dict) else None, whole)
        return [f"{'/'.join(map(str, e.path)) or 'record'}: {e.message}" for e in v.iter_errors(rec)]
    return valid


def hand_check(schema, rec):
    """The schema's rules that synscan's records use, without jsonschema."""
    kind = schema["$defs"].get(rec.get("type"))
    if not kind or rec.get("type") not in ("begin", "port", "host", "end"):
        return [f"unknown type {rec.get('type')!r}"]
    errs = [f"missing {k}" for k in kind["required"] if k not in rec]
    for key, val in rec.items():
        rule = kind["properties"].get(key)
        if rule is None:
            errs.append(f"unexpected key {key}")
            continue
        rule = schema["$defs"][rule["$ref"].split("/")[-1]] if "$ref" in rule else rule
        if "const" in rule and val != rule["const"]:
            errs.append(f"{key} is not {rule['const']!r}")
        if "enum" in rule and val not in rule["enum"]:
            errs.append(f"{key} {val!r} not one of {rule['enum']}")
        if "pattern" in rule and not (isinstance(val, str) and re.search(rule["pattern"], val)):
            errs.append(f"{key} {val!r} does not match {rule['pattern']}")
        if rule.get("type") == "integer" and not (isinstance(val, int) and not isinstance(val, bool)):
            errs.append(f"{key} is not an integer")
    return errs


class Runs:
    """The begin ... end sequence rules, for either format."""

    def __init__(self):
        self.problems, self.run, self.scan_id, self.last_status = [], None, None, None
        self.ports, self.deviations, self.port_rows, self.seen = 0, 0, [], set()

    def add(self, n, kind, ip=None, port=None, scan_id=None, resumed=None, status=None, dev=None):
        where = f"record {n}"
        if kind == "begin":
            if self.run is not None:
                self.problems.append(f"{where}: begin before the previous run's end")
            if self.scan_id is not None and (not resumed or scan_id != self.scan_id):
                self.problems.append(f"{where}: a second run that does not resume scan {self.scan_id}")
            self.scan_id = scan_id
            self.run = {"hosts": set()}
            return
        if self.run is None:
            self.problems.append(f"{where}: {kind} outside a begin ... end run")
            return
        if kind == "end":
            self.last_status = status
            self.run = None
        elif kind == "host":
            if ip in self.run["hosts"]:
                self.problems.append(f"{where}: host {ip} twice")
            self.run["hosts"].add(ip)
        elif kind == "port":
            if (ip, port) in self.seen:
                self.problems.append(f"{where}: {ip} port {port} twice")
            self.seen.add((ip, port))
            self.ports += 1
            self.deviations += bool(dev)

    def finish(self, n, opts):
        if n == 0:
            self.problems.append("no record")
        elif self.run is not None:
            self.problems.append("the last run has no end record")
        for opt, val in opts.items():
            got = {"--status": self.last_status, "--ports": str(self.ports),
                   "--deviations": str(self.deviations)}.get(opt)
            if got is not None and got != val:
                self.problems.append(f"{opt}: {got}, not {val}")
        return self.problems


def check_ndjson(path, opts):
    valid, runs, n = schema_validator(), Runs(), 0
    for n, line in enumerate(open(path), 1):
        try:
            rec = json.loads(line)
        except ValueError as e:
            runs.problems.append(f"line {n}: not JSON: {e}")
            continue
        for e in valid(rec):
            runs.problems.append(f"line {n} ({rec.get('type')}): {e}")
        runs.add(n, rec.get("type"), rec.get("ip"), rec.get("port"), rec.get("scan_id"),
                 rec.get("resumed"), rec.get("status"), rec.get("deviation"))
        if rec.get("type") == "port":
            runs.port_rows.append((rec["ip"], rec["port"], rec["state"], rec["reason"], rec["ttl"],
                                   rec.get("deviation", "")))
    return runs.finish(n, opts), runs


def check_csv(path, opts):
    runs = Runs()
    text = open(path, newline="").read()
    if "\r" in text or not text.endswith("\n"):
        runs.problems.append("a CR in the file, or no LF at its end")
    rows = list(csv.reader(text.split("\n")[:-1]))
    if not rows or rows[0] != HEADER:
        runs.problems.append(f"header {rows[:1]}")
    for n, r in enumerate(rows[1:], 2):
        if len(r) != len(HEADER):
            runs.problems.append(f"row {n}: {len(r)} fields")
            continue
        kind, stamp, ip, port, proto, state, reason, ttl, dev, info = r
        ok = STAMP.match(stamp) is not None
        if kind == "begin":
            ok = ok and not any(r[2:9]) and re.match(r"scan_id=[0-9a-f]{16} seed=\d+ targets=\d+ ports=[0-9,-]* probes=\d+ resumed=[01]( ping_only=1)? args=", info)
            m = re.match(r"scan_id=(\w+) .* resumed=([01])", info or "")
            runs.add(n, kind, scan_id=m and m.group(1), resumed=m and m.group(2) == "1")
        elif kind == "port":
            ok = ok and ip and port.isdigit() and proto == "tcp" and state in ("open", "closed", "filtered")
            ok = ok and re.match(r"^[a-z-]+$", reason) and ttl.isdigit()
            ok = ok and (not dev or re.match(r"^(unexpected-open|expected-open|unexpected-state) \(expected [a-z|]+\)$", dev))
            ok = ok and (bool(dev) == bool(re.match(r"^policy_line=\d+$", info)))
            runs.add(n, kind, ip=ip, port=int(port) if port.isdigit() else port, dev=dev)
            runs.port_rows.append((ip, int(port) if port.isdigit() else port, state, reason,
                                   int(ttl) if ttl.isdigit() else ttl, dev.split(" ")[0]))
        elif kind == "host":
            ok = ok and ip and not port and not proto and state in ("up", "down") and reason and ttl.isdigit()
            ok = ok and re.match(r"^(synproxy open=\d+ probed=\d+)? ?(not_scanned=[1-9]\d*)? ?"
                                 r"(rtt_us=[1-9]\d*)? ?(name=\S+)? ?(ptr=\S+)? ?"
                                 r"(mac=[0-9A-F]{2}(:[0-9A-F]{2}){5}( vendor=.+)?)?$", info)
            runs.add(n, kind, ip=ip)
        elif kind == "end":
            ok = ok and not any(r[2:5]) and state in ("done", "interrupted", "error")
            ok = ok and re.match(r"targets=\d+ hosts_up=\d+ probes=\d+ not_scanned=\d+ elapsed=[0-9.]+", info)
            runs.add(n, kind, status=state)
        else:
            ok = False
        if not ok:
            runs.problems.append(f"row {n}: a bad {kind or 'empty'} row: {r}")
    problems = runs.finish(len(rows) - 1, opts)
    if "--same-as" in opts:
        _, nd = check_ndjson(opts["--same-as"], {})
        if sorted(nd.port_rows) != sorted(runs.port_rows):
            problems.append(f"port rows differ from {opts['--same-as']}'s port records")
    return problems, runs


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("ndjson", "csv") or len(sys.argv) % 2 == 0:
        print(__doc__, file=sys.stderr)
        return 2
    opts = dict(zip(sys.argv[3::2], sys.argv[4::2]))
    problems, runs = (check_ndjson if sys.argv[1] == "ndjson" else check_csv)(sys.argv[2], opts)
    for p in problems[:20]:
        print("#", p)
    print(f"# {sys.argv[2]}: {runs.ports} port records, {runs.deviations} with a deviation, "
          f"last status {runs.last_status}; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
