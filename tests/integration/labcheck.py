#!/usr/bin/env python3
"""labcheck.py: the lab tests' checks and extractions over scan outputs (NDJSON, XML, CSV, nft, valgrind logs), one subcommand each.

Usage: labcheck.py SUBCOMMAND ARGS...   (labcheck.py without arguments lists them)
Called from tests/integration/lib.sh and the t_*.sh scripts. Extractions
print lines for the shell to compare; checks exit 0 when they hold, 1 when
not (with "# " lines saying why, where useful).
"""
import csv
import ipaddress
import json
import os
import re
import sqlite3
import socket
import sys
import time
import xml.etree.ElementTree as ET


def ndjson_rows(path):
    return [json.loads(line) for line in open(path)]


def port_rows(path):
    """The port records of synscan's -oJ output (begin, host and end records skipped)."""
    return [j for j in ndjson_rows(path) if j.get("type") == "port"]


def ndjson_states(path, ip):
    """ndjson-states FILE IP: "PORT STATE REASON" lines of one host of an NDJSON output, by port."""
    rows = []
    for j in port_rows(path):
        if j["ip"] == ip:
            rows.append((j["port"], j["state"], j["reason"]))
    for p, s, r in sorted(rows):
        print(p, s, r)


def nmap_states(path):
    """nmap-states XML: "PORT STATE" for every port 1-65535 of the first host of nmap's XML.

    Ports in <extraports> come from their <extrareasons ports="..."> ranges,
    as nmap 7.9x writes them; "missing" where nmap says nothing."""
    ports = ET.parse(path).getroot().find("host").find("ports")
    state = {}
    for ex in ports.findall("extraports"):
        for er in ex.findall("extrareasons"):
            for item in er.get("ports", "").split(","):
                if item:
                    lo, _, hi = item.partition("-")
                    for p in range(int(lo), int(hi or lo) + 1):
                        state[p] = ex.get("state")
    for p in ports.findall("port"):
        state[int(p.get("portid"))] = p.find("state").get("state")
    for p in range(1, 65536):
        print(p, state.get(p, "missing"))


def syn_counts():
    """syn-counts: "ADDR PORT COUNT" for every element of `nft -j list set` on stdin."""
    for item in json.load(sys.stdin)["nftables"]:
        s = item.get("set")
        for e in (s or {}).get("elem", []):
            e = e["elem"]
            addr, port = e["val"]["concat"]
            print(addr, port, e["counter"]["packets"])


def wrong_ports(path, ip, expected):
    """wrong-ports NDJSON IP EXPECTED: how many ports of EXPECTED ("PORT STATE REASON" lines) IP's NDJSON gets wrong, and the first five."""
    got = {}
    for j in port_rows(path):
        if j["ip"] == ip:
            got[j["port"]] = j["state"]
    wrong = [l.split() for l in open(expected) if got.get(int(l.split()[0])) != l.split()[1]]
    print(len(wrong), " ".join(f"{p}:{s}->{got.get(int(p))}" for p, s, _ in wrong[:5]))


def ndjson_check(path, *opts):
    """ndjson-check FILE [--count N] [--min N] [--keys K,K...]: every line of FILE is JSON, the first a begin record and the last an end record; N port records, at least N, each with exactly these keys (and type, time)."""
    every = ndjson_rows(path)
    rows = [j for j in every if j.get("type") == "port"]
    ok = bool(every) and every[0].get("type") == "begin" and every[-1].get("type") == "end"
    i = 0
    while i < len(opts):
        opt, val = opts[i], opts[i + 1]
        if opt == "--count":
            ok = ok and len(rows) == int(val)
        elif opt == "--min":
            ok = ok and len(rows) >= int(val)
        elif opt == "--keys":
            ok = ok and all(set(r) == set(val.split(",")) | {"type", "time"} for r in rows)
        else:
            usage(f"ndjson-check: unknown option {opt}")
        i += 2
    return 0 if ok else 1


def ndjson_ports(path):
    """ndjson-ports FILE: the ports of FILE's rows, sorted, unique, comma-separated."""
    print(",".join(str(p) for p in sorted({j["port"] for j in port_rows(path)})))


def ndjson_hosts(path):
    """ndjson-hosts FILE: how many addresses FILE's rows name."""
    print(len({j["ip"] for j in port_rows(path)}))


def open_hosts(path, net, *excludes):
    """open-hosts NDJSON NET EXCLUDE...: "GOT WANT DIFFER": addresses with an open port, the addresses of NET minus the excludes (CIDR, A-B or one address), and how many differ."""
    got = {j["ip"] for j in port_rows(path) if j["state"] == "open"}

    def excluded(a):
        for ex in excludes:
            if "/" in ex:
                if a in ipaddress.ip_network(ex):
                    return True
            elif "-" in ex:
                lo, hi = ex.split("-")
                if ipaddress.ip_address(lo) <= a <= ipaddress.ip_address(hi):
                    return True
            elif a == ipaddress.ip_address(ex):
                return True
        return False

    want = {str(a) for a in ipaddress.ip_network(net) if not excluded(a)}
    print(len(got), len(want), len(got ^ want))


def status_json(path, sent, open_, replies):
    """status-json FILE SENT OPEN REPLIES: --status-json records: all keys, at least two, elapsed never goes back, the last at 100 % with these counts."""
    rows = ndjson_rows(path)
    keys = {"time", "elapsed", "done", "pps", "planned", "sent", "replies", "open", "pass", "eta",
            "rate", "pace", "pace_note"}
    last = rows[-1] if rows else {}
    why = []
    if len(rows) < 2 or not all(set(r) == keys for r in rows):
        why.append(f"records {rows[:2]}")
    if not (last.get("done") == 1 and last.get("sent") == int(sent) and last.get("planned") == int(sent)):
        why.append(f"last record {last}")
    if not (last.get("open") == int(open_) and last.get("replies") == int(replies)):
        why.append(f"last record's counts {last}")
    if not all(a["elapsed"] <= b["elapsed"] and a["time"] <= b["time"] for a, b in zip(rows, rows[1:])):
        why.append("elapsed or time goes back")
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
    if not all(stamp.match(r.get("time", "")) for r in rows):
        why.append(f"time not RFC 3339 UTC with ms: {rows[0].get('time')}")
    # numbers as rounded: ms, 0.01 %, whole pps and rate, 0.1 s
    digits = {"elapsed": 3, "done": 4, "eta": 1}
    for r in rows:
        long = [k for k, d in digits.items() if len(repr(float(r.get(k, 0))).partition(".")[2]) > d]
        if long or not all(isinstance(r.get(k), int) for k in ("pps", "rate")):
            why.append(f"numbers not rounded: {r}")
            break
    for w in why:
        print("# status-json:", w)
    return 1 if why else 0


def diff_json(path, *changes):
    """diff-json FILE CHANGE:PORT:STATE:WAS...: `synscan diff --json` gives exactly these port changes, then its summary."""
    rows = ndjson_rows(path)
    got = sorted((r["change"], r["port"], r["state"], r["was"]) for r in rows if "port" in r)
    want = sorted((c, int(p), s, w) for c, p, s, w in (x.split(":") for x in changes))
    return 1 if got != want or rows[-1]["change"] != "summary" else 0


def csv_check(path, ip):
    """csv-check FILE IP: CSV output with its header, a begin row, port rows of IP (host rows of IP), an end row; LF line ends."""
    text = open(path, newline="").read()
    lines = text.split("\n")
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
    port = re.compile("port," + stamp + "," + re.escape(ip) + r",\d+,tcp,(open|closed|filtered),[a-z-]+,\d+,,$")
    host = re.compile("host," + stamp + "," + re.escape(ip) + r",,,up,[a-z-]+,\d+,,")
    ok = ("\r" not in text and lines[0] == "type,time,ip,port,proto,state,reason,ttl,deviation,info"
          and lines[-1] == "" and len(lines) > 4 and re.match("begin," + stamp + ",", lines[1])
          and re.match("end," + stamp + ",,,,(done|interrupted|error),", lines[-2])
          and all(port.match(l) or host.match(l) for l in lines[2:-2]))
    return 0 if ok else 1


def xml_finished(path):
    """xml-finished FILE: the XML output parses and has runstats/finished."""
    return 1 if ET.parse(path).getroot().find("runstats/finished") is None else 0


def sqlite_query(db, query):
    """sqlite DB QUERY: the rows of QUERY, fields separated by spaces (for want of the sqlite3 tool)."""
    for r in sqlite3.connect(db).execute(query):
        print(*r)


def listen(port, secs):
    """listen PORT SECONDS: a TCP listener on 0.0.0.0:PORT for SECONDS."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(port)))
    s.listen(16)
    time.sleep(float(secs))


def has_libnmap():
    """has-libnmap: python-libnmap can be imported by this python."""
    import libnmap  # noqa: F401


def libnmap_check(xml, nmap_xml, open_xml):
    """libnmap XML NMAP-XML OPEN-XML: python-libnmap reads synscan's XML of the lab (t_formats.sh's scans) as nmap's."""
    from libnmap.parser import NmapParser
    r = NmapParser.parse_fromfile(xml)
    n = NmapParser.parse_fromfile(nmap_xml)
    o = NmapParser.parse_fromfile(open_xml)
    h = r.hosts[0]
    st = {s.port: (s.state, s.reason, s.reason_ttl) for s in h.services}
    ok = [
        r.hosts_total == 1 and r.hosts_up == 1 and r.scan_type == "syn" and r.numservices == 214,
        r.summary.startswith("synscan done at ") and r.is_consistent(),
        h.address == "198.18.0.2" and h.is_up(),
        h.get_open_ports() == [(22, "tcp"), (80, "tcp")],
        st[135] == ("filtered", "no-response", "0"),
        st[9001] == ("filtered", "admin-prohibited", "64"),
        st[30110] == ("filtered", "net-unreach", "64"),
        h.get_service(22).service == "ssh",
        h.extraports_state["state"] == {"state": "closed", "count": "193"},
        sorted((s.port, s.state) for s in h.services)
        == sorted((s.port, s.state) for s in n.hosts[0].services),
        len(o.hosts) == 4 and all(x.get_open_ports() == [(22, "tcp"), (80, "tcp")] for x in o.hosts),
    ]
    print("# libnmap checks:", ok)
    return 0 if all(ok) else 1


def valgrind_fds(log):
    """valgrind-fds LOG: valgrind's FILE DESCRIPTORS report lists no descriptor above 2 that the program opened (inherited ones are not its own)."""
    text = re.sub(r"^==\d+== ?", "", open(log).read(), flags=re.M)
    if "FILE DESCRIPTORS:" not in text:
        print("# no FILE DESCRIPTORS report")
        return 1
    report = text.split("FILE DESCRIPTORS:", 1)[1].split("HEAP SUMMARY", 1)[0]
    left = []
    for block in re.split(r"\n\s*\n", report):
        m = re.search(r"Open .*?(?:descriptor|socket) (\d+)", block)
        if m and int(m.group(1)) > 2 and "<inherited from parent>" not in block:
            left.append(block.strip().replace("\n", " | "))
    for b in left:
        print("# left open:", b)
    return 1 if left else 0


def interrupt_verdicts(root, wait, badxml):
    """interrupt-verdicts RUNS WAIT BADXML: t_interrupt.sh's judgement of every run in RUNS/N/.

    One line "CATEGORY run N (...): why" per failure (categories time,
    status, files, resume), then a "# " summary line. BADXML lists the run
    directories whose XML xmllint refused (it may not exist)."""
    wait = float(wait)
    bad_xml = set(open(badxml).read().split()) if os.path.exists(badxml) else set()
    stats = {"INT": 0, "TERM": 0, "PIPE": 0, "SLOW": 0, "resumable": 0, "complete": 0, "slowest": 0.0}

    def judge(d):
        sig, delay, ports, rc, t_sig, t_end = open(d + "/meta").read().split()
        ports, rc = int(ports), int(rc)
        stats[sig] += 1
        errs = []
        err_lines = open(d + "/err").read().splitlines()
        pipe_broke = sig == "PIPE" and rc == 1
        if t_sig != "-":
            stats["slowest"] = max(stats["slowest"], float(t_end) - float(t_sig))
        if t_sig != "-" and float(t_end) - float(t_sig) > wait + 3:
            errs.append(("time", f"took {float(t_end) - float(t_sig):.2f} s after the signal"))
        pipe_line = "synscan: output stdout (-oJ): Broken pipe"
        pipe_resume = f"{pipe_line}; interrupted, continue with: synscan --resume {d}/resume"
        if pipe_broke:
            if err_lines not in ([pipe_line], [pipe_resume]):
                errs.append(("status", f"stderr {err_lines[:3]}"))
        elif rc not in (0, 4):  # 4: interrupted; 0: the signal came after the end
            errs.append(("status", f"exit {rc}"))
        resume_re = re.compile(r"synscan: interrupted, \d+ probes? not sent; continue with: "
                               + re.escape(f"synscan --resume {d}/resume"))
        resume_line = next((l for l in err_lines if resume_re.fullmatch(l)), None)
        if not pipe_broke and [l for l in err_lines if l != resume_line]:
            errs.append(("status", f"stderr {err_lines[:3]}"))
        if d in bad_xml:
            errs.append(("files", "XML not well-formed"))
        xml = open(d + "/x.xml").read()
        m = re.search(r'<finished [^>]*summary="synscan (\w+)[^>]*exit="(\w+)"', xml)
        if not m or not xml.rstrip().endswith("</nmaprun>"):
            errs.append(("files", "XML without <finished> or </nmaprun>"))
        elif m.group(2) != ("error" if pipe_broke or rc == 4 else "success"):
            errs.append(("files", f"XML exit={m.group(2)}"))
        rows = set()
        try:
            recs = [json.loads(line) for line in open(d + "/j.json")]
            for j in recs:
                if j["type"] == "port":
                    rows.add((j["ip"], j["port"], j["state"], j["reason"]))
            want_end = "done" if rc == 0 else "error" if pipe_broke else "interrupted"
            if recs[0]["type"] != "begin" or recs[-1]["type"] != "end":
                errs.append(("files", "NDJSON without its begin or end record"))
            elif recs[-1]["status"] != want_end:
                errs.append(("files", f"NDJSON ends {recs[-1]['status']}, not {want_end}"))
        except (ValueError, KeyError, IndexError) as e:
            errs.append(("files", f"NDJSON: {e}"))
        try:
            with open(d + "/c.csv", newline="") as f:
                text = f.read()
            table = list(csv.reader(text.splitlines()))
            if table[0][:8] != ["type", "time", "ip", "port", "proto", "state", "reason", "ttl"]:
                errs.append(("files", f"CSV header {table[0]}"))
            if not text.endswith("\n") or "\r" in text or any(len(r) != len(table[0]) for r in table):
                errs.append(("files", "CSV row cut short (or a CR)"))
            if table[1][0] != "begin" or table[-1][0] != "end":
                errs.append(("files", "CSV without its begin or end row"))
            crows = {(r[2], int(r[3]), r[5], r[6]) for r in table[1:] if r[0] == "port"}
            if crows != rows:
                errs.append(("files", f"CSV ({len(crows)} rows) differs from NDJSON ({len(rows)})"))
        except (ValueError, IndexError) as e:
            errs.append(("files", f"CSV: {e}"))
        def timeless(path):  # each record's time is when that output wrote it
            return [re.sub(r'"time":"[^"]*",', "", line) for line in open(path)]
        if sig == "SLOW" and timeless(d + "/stdout.json") != timeless(d + "/j.json"):
            errs.append(("files", "NDJSON on the slow stdout differs from the -oJ file"))
        gn = open(d + "/g.gnmap").read().splitlines()
        if not gn or not gn[-1].startswith("# synscan done at "):
            errs.append(("files", "grepable output without its last line"))
        nt = open(d + "/n.txt").read().splitlines()
        if not nt or not nt[-1].startswith("synscan done: "):
            errs.append(("files", "normal output without its last line"))
        resumed = os.path.exists(d + "/resume")
        if resumed:
            stats["resumable"] += 1
            if resume_line is None and pipe_resume not in err_lines:
                errs.append(("resume", "a resume file but no 'continue with' line"))
            if not pipe_broke and rc != 4:
                errs.append(("status", f"exit {rc} with a resume file (interrupted: 4)"))
            text = open(d + "/resume").read()
            # No "state" line: stopped in host discovery, before any probe.
            if not text or ("\nstate " in text and not os.path.exists(d + "/resume.state")):
                errs.append(("resume", "resume file empty or without its state file"))
            elif "\nstate " not in text and "\npass 0\n" not in text:
                errs.append(("resume", "resume file without probe states after the first pass"))
        elif resume_line is not None or pipe_resume in err_lines:
            errs.append(("resume", "'continue with' but no resume file"))
        if not pipe_broke and not resumed:
            if len(rows) != ports:
                errs.append(("resume", f"{len(rows)} of {ports} ports reported and no resume file"))
            else:
                stats["complete"] += 1
        leftovers = set(os.listdir(d)) - {"meta", "err", "end", "closed", "x.xml", "g.gnmap",
                                          "c.csv", "n.txt", "j.json", "resume", "resume.state",
                                          "stdout.json"}
        if leftovers:
            errs.append(("files", f"left-over files {sorted(leftovers)}"))
        for cat, msg in errs:
            how = {"INT": "SIGINT", "TERM": "SIGTERM", "PIPE": "stdout closed",
                   "SLOW": "SIGINT, stdout full"}[sig]
            print(f"{cat} run {os.path.basename(d)} ({how} at {delay} ms, {ports} ports, exit {rc}): {msg}")

    for name in sorted(os.listdir(root), key=int):
        try:
            judge(os.path.join(root, name))
        except (OSError, ValueError) as e:
            print(f"files run {name}: {e}")
    print(f"# SIGINT {stats['INT']}, SIGTERM {stats['TERM']}, closed stdout {stats['PIPE']}, "
          f"SIGINT with stdout full {stats['SLOW']}; "
          f"{stats['resumable']} left a resume file, {stats['complete']} reported every port; "
          f"slowest end {stats['slowest']:.2f} s after its signal")


def check_lint(path):
    """check-lint SCRIPT: "LINE: TEXT" for each check of SCRIPT whose condition goes on after && (only its first command is checked)."""
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        start, text = i, lines[i]
        while text.rstrip().endswith(("\\", "&&", "||")) and i + 1 < len(lines):
            i += 1
            text = text.rstrip().rstrip("\\") + " " + lines[i].strip()
        i += 1
        if not re.match(r"\s*check ", text):
            continue
        bare = re.sub(r'"(\\.|[^"\\])*"', '""', text)  # quoted words and $(...) cannot end it
        bare = re.sub(r"'[^']*'", "''", bare)
        bare = re.sub(r"\$\(\([^()]*\)\)", "X", bare)  # arithmetic: $((a && b))
        while re.search(r"\$\([^()]*\)", bare):
            bare = re.sub(r"\$\([^()]*\)", "X", bare)
        if "&&" in bare:
            print(f"{start + 1}: {text.strip()[:100]}")


# name: (function, least arguments, most arguments or None for any)
COMMANDS = {
    "ndjson-states": (ndjson_states, 2, 2),
    "nmap-states": (nmap_states, 1, 1),
    "syn-counts": (syn_counts, 0, 0),
    "wrong-ports": (wrong_ports, 3, 3),
    "ndjson-check": (ndjson_check, 1, None),
    "ndjson-ports": (ndjson_ports, 1, 1),
    "ndjson-hosts": (ndjson_hosts, 1, 1),
    "open-hosts": (open_hosts, 2, None),
    "status-json": (status_json, 4, 4),
    "diff-json": (diff_json, 1, None),
    "csv-check": (csv_check, 2, 2),
    "xml-finished": (xml_finished, 1, 1),
    "sqlite": (sqlite_query, 2, 2),
    "listen": (listen, 2, 2),
    "has-libnmap": (has_libnmap, 0, 0),
    "libnmap": (libnmap_check, 3, 3),
    "valgrind-fds": (valgrind_fds, 1, 1),
    "interrupt-verdicts": (interrupt_verdicts, 3, 3),
    "check-lint": (check_lint, 1, 1),
}


def usage(msg=None):
    if msg:
        print(f"labcheck.py: {msg}", file=sys.stderr)
    print("Usage: labcheck.py SUBCOMMAND ARGS...; subcommands:", file=sys.stderr)
    for func, _, _ in COMMANDS.values():
        print("  " + func.__doc__.splitlines()[0], file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        usage(f"unknown subcommand {sys.argv[1]}" if len(sys.argv) > 1 else None)
    func, least, most = COMMANDS[sys.argv[1]]
    args = sys.argv[2:]
    if len(args) < least or (most is not None and len(args) > most):
        usage(f"{sys.argv[1]}: wrong number of arguments")
    sys.exit(func(*args) or 0)


if __name__ == "__main__":
    main()
# SPDX-License-Identifier: BSD-2-Clause
