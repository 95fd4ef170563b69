#!/usr/bin/python3
"""xmlclients.py: nmap XML readers on synscan's XML (Debian's python: python3-libnmap, python3-nmap).

Usage: xmlclients.py same-ports WANT.xml GOT.xml
       xmlclients.py same-hosts WANT.xml GOT.xml
  same-hosts: each client reads each host's identity instead of its ports
  (state and reason, IPv4, MAC, vendor, user names) and the up count.
  Both files are read by python-libnmap (libnmap.parser) and by python-nmap
  (nmap.PortScanner().analyse_nmap_xml_scan); exit 0 when each reads one
  document from each file, with the same hosts, the same ports in the same
  states and the same hosts-up count. One "# " line per client says what it
  found; a client that is not installed is named on a "# skipped" line and
  exit 77 when none is. Exit 1 when a client fails or differs.
"""
import sys


def by_libnmap(path):
    from libnmap.parser import NmapParser
    r = NmapParser.parse_fromfile(path)
    ports = {h.address: sorted((s.port, s.state) for s in h.services) for h in r.hosts}
    return ports, r.hosts_up


def by_python_nmap(path):
    import nmap
    with open(path) as f:
        r = nmap.PortScanner().analyse_nmap_xml_scan(f.read())
    ports = {a: sorted((p, v["state"]) for p, v in h.get("tcp", {}).items())
             for a, h in r["scan"].items()}
    return ports, int(r["nmap"]["scanstats"]["uphosts"])


def hosts_by_libnmap(path):
    from libnmap.parser import NmapParser
    r = NmapParser.parse_fromfile(path)
    hosts = {h.address: (h.status, h._status.get("reason"), h.ipv4, h.mac, h.vendor,
                         sorted(h.hostnames))
             for h in r.hosts}
    return hosts, r.hosts_up


def hosts_by_python_nmap(path):
    import nmap
    with open(path) as f:
        r = nmap.PortScanner().analyse_nmap_xml_scan(f.read())
    hosts = {a: (h["status"]["state"], h["status"]["reason"], h["addresses"].get("ipv4"),
                 h["addresses"].get("mac"), sorted(h["vendor"].items()),
                 sorted((n["name"], n["type"]) for n in h["hostnames"] if n["name"]))
             for a, h in r["scan"].items()}
    return hosts, int(r["nmap"]["scanstats"]["uphosts"])


def same_hosts(want, got):
    return compare(want, got, (("python-libnmap", hosts_by_libnmap),
                               ("python-nmap", hosts_by_python_nmap)), "hosts")


def same_ports(want, got):
    return compare(want, got, (("python-libnmap", by_libnmap),
                               ("python-nmap", by_python_nmap)), "ports")


def compare(want, got, readers, what):
    ran, bad = 0, 0
    for name, read in readers:
        try:
            w, g = read(want), read(got)
        except ImportError:
            print(f"# skipped: {name} is not installed (scripts/deps)")
            continue
        except Exception as e:  # a parser that fails on the file is the finding
            print(f"# {name}: cannot read: {type(e).__name__}: {e}")
            bad += 1
            continue
        ran += 1
        same = w == g
        if what == "ports":
            nports = sum(len(v) for v in g[0].values())
            print(f"# {name}: {len(g[0])} hosts, {nports} listed ports, {g[1]} up; "
                  f"{'same as' if same else 'DIFFERENT from'} the uninterrupted scan")
        else:
            print(f"# {name}: {len(g[0])} hosts, {g[1]} up: {sorted(g[0].items())}; "
                  f"{'same as' if same else 'DIFFERENT from'} {want}")
            if not same:
                print(f"# {name}: {want} has {sorted(w[0].items())}, {w[1]} up")
        bad += not same
    if not ran and not bad:
        return 77
    return 1 if bad else 0


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("same-ports", "same-hosts"):
        print(__doc__, file=sys.stderr)
        return 2
    if sys.argv[1] == "same-hosts":
        return same_hosts(sys.argv[2], sys.argv[3])
    return same_ports(sys.argv[2], sys.argv[3])


if __name__ == "__main__":
    sys.exit(main())
# SPDX-License-Identifier: BSD-2-Clause
