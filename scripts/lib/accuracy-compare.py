#!/usr/bin/env python3
# accuracy-compare.py: scripts/accuracy's judge of one tool's output against scripts/lab expect: prints "correct open closed filtered wrong" (summed over every target address), then up to SHOWN lines "PORT EXPECTED GOT".
# Usage: accuracy-compare.py KIND OUTPUT EXPECT TARGETS SHOWN
#   KIND: synscan (NDJSON), nmap (XML) or masscan (its -oJ, parsed line by
#   line: 1.3.x writes stray commas that no JSON parser accepts).  A port a
#   tool does not report counts as filtered for masscan (it reports only open
#   and closed ports) and as wrong ("missing") for synscan and nmap.
#   TARGETS: one address, a CIDR block (every address in it, the network and
#   broadcast addresses too) or a comma list of both; every address is judged
#   against the same EXPECT.  With more than one address the wrong lines
#   name "ADDRESS:PORT" instead of PORT; an address a tool does not report
#   at all has every port missing (filtered for masscan).
import ipaddress, json, re, sys
import xml.etree.ElementTree as ET

kind, output, expect_file, targets, shown = sys.argv[1:6]
shown = int(shown)
expected = {}
for line in open(expect_file):
    f = line.split()
    if len(f) >= 2:
        expected[int(f[0])] = f[1]

addrs = []
for item in targets.split(","):
    if "/" in item:
        addrs.extend(str(a) for a in ipaddress.ip_network(item, strict=False))
    elif item:
        addrs.append(str(ipaddress.ip_address(item)))
addrs = list(dict.fromkeys(addrs))  # each address once, in order
wanted = set(addrs)


def norm(addr):
    """addr as ipaddress writes it (or None if it is none)."""
    try:
        return str(ipaddress.ip_address(addr))
    except ValueError:
        return None


got = {}  # (address, port) -> state
try:
    if kind == "synscan":
        for line in open(output):
            line = line.strip()
            if not line:
                continue
            j = json.loads(line)
            if j.get("type", "port") != "port":  # begin, host and end records
                continue
            ip = norm(j.get("ip", ""))
            if ip in wanted and j.get("proto", "tcp") == "tcp":
                got[ip, int(j["port"])] = j["state"]
    elif kind == "nmap":
        # nmap lists the interesting ports of each host; <extraports> hold
        # the rest, their ranges in <extrareasons ports="...">.
        for host in ET.parse(output).getroot().findall("host"):
            ip = None
            for a in host.findall("address"):
                if a.get("addrtype") in ("ipv4", "ipv6"):
                    ip = norm(a.get("addr", ""))
            ports = host.find("ports")
            if ip not in wanted or ports is None:
                continue
            for ex in ports.findall("extraports"):
                for er in ex.findall("extrareasons"):
                    for item in er.get("ports", "").split(","):
                        if item:
                            lo, _, hi = item.partition("-")
                            for p in range(int(lo), int(hi or lo) + 1):
                                got[ip, p] = ex.get("state")
            for p in ports.findall("port"):
                if p.get("protocol", "tcp") == "tcp":
                    got[ip, int(p.get("portid"))] = p.find("state").get("state")
    elif kind == "masscan":
        ip_pat = re.compile(r'"ip":\s*"([^"]+)"')
        pat = re.compile(r'"port":\s*(\d+),\s*"proto":\s*"tcp",\s*"status":\s*"(\w+)"')
        for line in open(output):
            m = ip_pat.search(line)
            ip = norm(m.group(1)) if m else None
            if ip not in wanted:
                continue
            for port, state in pat.findall(line):
                got[ip, int(port)] = state
except (OSError, ValueError, KeyError, ET.ParseError) as e:
    print(f"{kind}: cannot read {output}: {e}", file=sys.stderr)

counts = {"open": 0, "closed": 0, "filtered": 0}
correct = 0
wrong = []
for ip in addrs:
    for port in sorted(expected):
        state = got.get((ip, port), "filtered" if kind == "masscan" else "missing")
        # nmap's combined states (open|filtered, closed|filtered) are not an answer.
        if state in counts:
            counts[state] += 1
        if state == expected[port]:
            correct += 1
        else:
            wrong.append((f"{ip}:{port}" if len(addrs) > 1 else port, expected[port], state))
print(correct, counts["open"], counts["closed"], counts["filtered"], len(wrong))
for port, want, state in wrong[:shown]:
    print(port, want, state)
# SPDX-License-Identifier: BSD-2-Clause
