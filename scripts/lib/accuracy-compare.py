#!/usr/bin/env python3
# accuracy-compare.py: scripts/accuracy's judge of one tool's output against scripts/lab expect: prints "correct open closed filtered wrong", then up to SHOWN lines "PORT EXPECTED GOT".
# Usage: accuracy-compare.py KIND OUTPUT EXPECT TARGET SHOWN
#   KIND: synscan (NDJSON), nmap (XML) or masscan (its -oJ, parsed line by
#   line: 1.3.x writes stray commas that no JSON parser accepts).  A port a
#   tool does not report counts as filtered for masscan (it reports only open
#   and closed ports) and as wrong ("missing") for synscan and nmap.
import json, re, sys
import xml.etree.ElementTree as ET

kind, output, expect_file, target, shown = sys.argv[1:6]
shown = int(shown)
expected = {}
for line in open(expect_file):
    f = line.split()
    if len(f) >= 2:
        expected[int(f[0])] = f[1]

got = {}
try:
    if kind == "synscan":
        for line in open(output):
            line = line.strip()
            if not line:
                continue
            j = json.loads(line)
            if j.get("ip") == target and j.get("proto", "tcp") == "tcp":
                got[int(j["port"])] = j["state"]
    elif kind == "nmap":
        # nmap lists the interesting ports; <extraports> hold the rest, their
        # ranges in <extrareasons ports="...">.
        host = ET.parse(output).getroot().find("host")
        ports = host.find("ports") if host is not None else None
        if ports is not None:
            for ex in ports.findall("extraports"):
                for er in ex.findall("extrareasons"):
                    for item in er.get("ports", "").split(","):
                        if item:
                            lo, _, hi = item.partition("-")
                            for p in range(int(lo), int(hi or lo) + 1):
                                got[p] = ex.get("state")
            for p in ports.findall("port"):
                if p.get("protocol", "tcp") == "tcp":
                    got[int(p.get("portid"))] = p.find("state").get("state")
    elif kind == "masscan":
        pat = re.compile(r'"port":\s*(\d+),\s*"proto":\s*"tcp",\s*"status":\s*"(\w+)"')
        for line in open(output):
            if '"ip": "%s"' % target not in line:
                continue
            for port, state in pat.findall(line):
                got[int(port)] = state
except (OSError, ValueError, ET.ParseError) as e:
    print(f"{kind}: cannot read {output}: {e}", file=sys.stderr)

counts = {"open": 0, "closed": 0, "filtered": 0}
correct = 0
wrong = []
for port in sorted(expected):
    state = got.get(port, "filtered" if kind == "masscan" else "missing")
    # nmap's combined states (open|filtered, closed|filtered) are not an answer.
    if state in counts:
        counts[state] += 1
    if state == expected[port]:
        correct += 1
    else:
        wrong.append((port, expected[port], state))
print(correct, counts["open"], counts["closed"], counts["filtered"], len(wrong))
for port, want, state in wrong[:shown]:
    print(port, want, state)
