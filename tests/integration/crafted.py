#!/usr/bin/env python3
"""crafted.py: a lab responder that answers a scanner's SYNs with hand-made frames.

Run in a lab's target namespace (ip netns exec LAB-tgt crafted.py -i t0 ...),
on ports the lab's firewall drops silently (so the target's kernel says
nothing itself). For each SYN on the interface to PORT, it sends the answer
its plan names, built byte by byte (AF_PACKET, full checksums):

  PORT=synack[:CHAIN]     SYN-ACK acknowledging the SYN's seq + 1
  PORT=rst[:CHAIN]        RST+ACK acknowledging seq + 1
  PORT=bare[:CHAIN]       RST, no ACK, seq 0 (what some middleboxes send)
  PORT=rstseq1[:CHAIN]    RST, no ACK, seq 1 (proves nothing: must be bad)
  PORT=unreach[:CHAIN]    ICMP(v6) destination unreachable, administratively
                          prohibited, quoting the SYN

CHAIN (IPv6 only) lists extension headers put before TCP/ICMPv6, outermost
first, comma-separated: hbh (hop-by-hop, 8 bytes of PadN), dst (destination
options, 8 bytes), dst16 (16 bytes), rt (routing, type 4, segments left 0,
24 bytes), frag (fragment header of an unfragmented packet: offset 0, M 0).

Safety: it answers only SYNs whose source and destination are in the lab's
ranges (198.18.0.0/15, 2001:db8::/32), sends only on the interface it is
given, back to the SYN's sender, and ends after --duration seconds. It
prints "ready" once listening and, at the end, "crafted: N answers".
"""
import argparse
import ipaddress
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
LAB4 = ipaddress.ip_network("198.18.0.0/15")
LAB6 = ipaddress.ip_network("2001:db8::/32")
EXT = {"hbh": 0, "dst": 60, "dst16": 60, "rt": 43, "frag": 44}


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def in_lab(addr):
    a = ipaddress.ip_address(addr)
    return a in (LAB4 if a.version == 4 else LAB6)


def ext_header(name, nxt):
    """One extension header named name whose next header is nxt."""
    if name == "frag":
        return struct.pack("!BBHI", nxt, 0, 0, 0x5EED)
    if name == "rt":
        return struct.pack("!BBBB", nxt, 2, 4, 0) + bytes(20)
    size = 16 if name == "dst16" else 8
    return struct.pack("!BBBB", nxt, size // 8 - 1, 1, size - 4) + bytes(size - 4)


def tcp_segment(src, dst, sport, dport, seq, ack, flags, pseudo):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    c = csum(pseudo(len(tcp), 6) + tcp)
    return tcp[:16] + struct.pack("!H", c) + tcp[18:]


def answer(frame, plan):
    """The answer frame to frame (a SYN), or None."""
    etype = struct.unpack("!H", frame[12:14])[0]
    l3 = frame[14:]
    if etype == 0x0800 and len(l3) >= 20 and l3[9] == 6:
        v6, ihl = False, (l3[0] & 15) * 4
        src, dst = l3[12:16], l3[16:20]
        tcp = l3[ihl:]
    elif etype == 0x86DD and len(l3) >= 40 and l3[6] == 6:
        v6, ihl = True, 40
        src, dst = l3[8:24], l3[24:40]
        tcp = l3[40:]
    else:
        return None
    if len(tcp) < 20 or tcp[13] & 0x12 != 0x02:
        return None
    sport, dport, seq = struct.unpack("!HHI", tcp[:8])
    if dport not in plan:
        return None
    if not (in_lab(socket.inet_ntop(socket.AF_INET6 if v6 else socket.AF_INET, src))
            and in_lab(socket.inet_ntop(socket.AF_INET6 if v6 else socket.AF_INET, dst))):
        return None
    kind, chain = plan[dport]
    if chain and not v6:
        return None

    def pseudo(length, proto):
        if v6:
            return dst + src + struct.pack("!IxxxB", length, proto)
        return dst + src + struct.pack("!xBH", proto, length)

    ack = (seq + 1) & 0xFFFFFFFF
    if kind == "synack":
        body, proto = tcp_segment(dst, src, dport, sport, 0x5EED0000, ack, 0x12, pseudo), 6
    elif kind == "rst":
        body, proto = tcp_segment(dst, src, dport, sport, 0, ack, 0x14, pseudo), 6
    elif kind == "bare":
        body, proto = tcp_segment(dst, src, dport, sport, 0, 0, 0x04, pseudo), 6
    elif kind == "rstseq1":
        body, proto = tcp_segment(dst, src, dport, sport, 1, 0, 0x04, pseudo), 6
    else:  # unreach: quote the SYN's IP header and its TCP header
        quote = l3[: ihl + 20]
        if v6:
            icmp = struct.pack("!BBHI", 1, 1, 0, 0) + quote
            proto = 58
            c = csum(pseudo(len(icmp), 58) + icmp)
        else:
            icmp = struct.pack("!BBHI", 3, 13, 0, 0) + quote
            proto = 1
            c = csum(icmp)
        body = icmp[:2] + struct.pack("!H", c) + icmp[4:]
    if v6:
        nxt = proto
        exts = b""
        for name in reversed(chain):
            exts = ext_header(name, nxt) + exts
            nxt = EXT[name]
        payload = exts + body
        ip = struct.pack("!IHBB", 6 << 28, len(payload), nxt, 64) + dst + src
    else:
        payload = body
        ip = struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(payload), 0, 0, 64, proto, 0) + dst + src
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return frame[6:12] + frame[0:6] + frame[12:14] + ip + payload


def parse_plan(items):
    plan = {}
    for item in items:
        port, _, spec = item.partition("=")
        kind, _, chain = spec.partition(":")
        if kind not in ("synack", "rst", "bare", "rstseq1", "unreach"):
            raise SystemExit("crafted.py: unknown answer %r" % kind)
        names = [c for c in chain.split(",") if c]
        for n in names:
            if n not in EXT:
                raise SystemExit("crafted.py: unknown extension header %r" % n)
        plan[int(port)] = (kind, names)
    return plan


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-i", "--iface", required=True)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("plan", nargs="+", help="PORT=KIND[:CHAIN]")
    o = ap.parse_args()
    plan = parse_plan(o.plan)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((o.iface, 0))
    print("ready", flush=True)
    end = time.monotonic() + min(o.duration, 600)
    sent = 0
    while time.monotonic() < end:
        r, _, _ = select.select([s], [], [], 0.1)
        if not r:
            continue
        frame, addr = s.recvfrom(65535)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        reply = answer(frame, plan)
        if reply:
            s.send(reply)
            sent += 1
    print("crafted: %d answers" % sent, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
# SPDX-License-Identifier: BSD-2-Clause
