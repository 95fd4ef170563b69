#!/usr/bin/env python3
# bench-count.py: scripts/bench's judge of one tool's output: "compare KIND OUTPUT EXPECT ADDR" prints how many ports of ADDR have the state scripts/lab expect gives; "answers KIND OUTPUT NET" how many addresses of NET it reports open on port 80; "up KIND OUTPUT NET" how many addresses of NET it reports up; "hostports KIND OUTPUT NET LIVE PORTS" judges a port scan of a sparse net.
#
# KIND: synscan (NDJSON; up: nmap XML), nmap (XML; compare and up), zmap (one
# address per line; answers and up) or masscan (-oJ, read line by line: 1.3.x
# writes stray commas that no JSON parser accepts; ports it does not report
# are filtered).
# hostports reads nmap XML (KIND synscan or nmap); LIVE holds the live
# addresses, one a line, PORTS the ports each must show open, one a line.  It
# prints "UP CORRECT WRONG": hosts of NET reported up, (live address, port of
# PORTS) pairs reported open, and open pairs besides those.
# An XML file cut short (a tool stopped by its timeout) counts up to the last
# complete <host>.
import ipaddress, json, re, sys
import xml.etree.ElementTree as ET



def xml_hosts(output):
    """{address: (state, {tcp port: state})} of the <host> elements of an nmap XML file."""
    hosts = {}
    try:
        for _, el in ET.iterparse(output, events=("end",)):
            if el.tag != "host":
                continue
            addr = next((a.get("addr") for a in el.findall("address")
                         if a.get("addrtype") in ("ipv4", "ipv6")), None)
            status = el.find("status")
            ports = {}
            for p in el.iter("port"):
                state = p.find("state")
                if p.get("protocol", "tcp") == "tcp" and state is not None:
                    ports[int(p.get("portid"))] = state.get("state")
            if addr:
                hosts[addr] = (status.get("state") if status is not None else "", ports)
            el.clear()
    except ET.ParseError as e:
        print(f"{output}: cut short ({e}); {len(hosts)} hosts read", file=sys.stderr)
    except (OSError, ValueError) as e:
        print(f"cannot read {output}: {e}", file=sys.stderr)
    return hosts


def in_net(addr, subnet):
    try:
        return ipaddress.ip_address(addr) in subnet
    except ValueError:  # zmap's header line, say
        return False


def lines(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def up_and_ports(what, kind, output, subnet):
    """The up and hostports questions; prints the answer."""
    if kind == "zmap":
        try:
            up = {a for a in lines(output) if in_net(a, subnet)}
        except OSError as e:
            print(f"zmap: cannot read {output}: {e}", file=sys.stderr)
            up = set()
        hosts = {}
    else:
        hosts = {a: h for a, h in xml_hosts(output).items() if in_net(a, subnet)}
        up = {a for a, (state, _) in hosts.items() if state == "up"}
    if what == "up":
        print(len(up))
        return
    live = set(lines(sys.argv[5]))
    want = {int(p) for p in lines(sys.argv[6])}
    correct = wrong = 0
    for addr, (_, ports) in hosts.items():
        for port, state in ports.items():
            if state == "open":
                if addr in live and port in want:
                    correct += 1
                else:
                    wrong += 1
    print(len(up), correct, wrong)


what, kind, output = sys.argv[1:4]
if what in ("up", "hostports"):
    up_and_ports(what, kind, output, ipaddress.ip_network(sys.argv[4]))
    sys.exit(0)
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
