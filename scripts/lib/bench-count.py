#!/usr/bin/env python3
# bench-count.py: scripts/bench's judge of one tool's output: "compare KIND OUTPUT EXPECT ADDR" prints how many ports of ADDR have the state scripts/lab expect gives; "answers KIND OUTPUT NET" how many addresses of NET it reports open on port 80.
#
# KIND: synscan (NDJSON), nmap (XML; compare only), zmap (one address per
# line; answers only) or masscan (-oJ, read line by line: 1.3.x writes stray
# commas that no JSON parser accepts; ports it does not report are filtered).
import ipaddress, json, re, sys
import xml.etree.ElementTree as ET

what, kind, output = sys.argv[1:4]
got = {}
ip_re = re.compile(r"\"ip\":\s*\"([0-9.]+)\"")
port_re = re.compile(r"\"port\":\s*(\d+),\s*\"proto\":\s*\"tcp\",\s*\"status\":\s*\"(\w+)\"")
try:
    if kind == "synscan":
        for line in open(output):
            if line.strip():
                j = json.loads(line)
                if j.get("type", "port") == "port":  # not the begin, host, end records
                    got[(j.get("ip"), int(j["port"]))] = j["state"]
    elif kind == "zmap":
        for line in open(output):
            if line.strip():
                got[(line.strip(), 80)] = "open"
    elif kind == "masscan":
        for line in open(output):
            m = ip_re.search(line)
            if m:
                for port, state in port_re.findall(line):
                    got[(m.group(1), int(port))] = state
    elif kind == "nmap":
        host = ET.parse(output).getroot().find("host")
        ports = host.find("ports") if host is not None else None
        addr = sys.argv[5]
        if ports is not None:
            for ex in ports.findall("extraports"):
                for er in ex.findall("extrareasons"):
                    for item in er.get("ports", "").split(","):
                        if item:
                            lo, _, hi = item.partition("-")
                            for p in range(int(lo), int(hi or lo) + 1):
                                got[(addr, p)] = ex.get("state")
            for p in ports.findall("port"):
                if p.get("protocol", "tcp") == "tcp":
                    got[(addr, int(p.get("portid")))] = p.find("state").get("state")
except (OSError, ValueError, KeyError, ET.ParseError) as e:
    print(f"{kind}: cannot read {output}: {e}", file=sys.stderr)

if what == "compare":
    expect_file, addr = sys.argv[4:6]
    correct = 0
    for line in open(expect_file):
        f = line.split()
        if len(f) >= 2:
            state = got.get((addr, int(f[0])), "filtered" if kind == "masscan" else "missing")
            correct += state == f[1]
    print(correct)
else:
    subnet = ipaddress.ip_network(sys.argv[4])
    print(sum(1 for (ip, port), state in got.items()
              if port == 80 and state == "open" and ipaddress.ip_address(ip) in subnet))
# SPDX-License-Identifier: BSD-2-Clause
