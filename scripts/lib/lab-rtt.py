#!/usr/bin/env python3
"""lab-rtt.py: round trips to a lab address with ICMP echo (a ping without iputils), for checking the lab's WAN delay.

Usage: lab-rtt.py [-c COUNT] [-i INTERVAL] [-W WAIT] [-v] ADDR

Sends COUNT (default 20) echo requests to ADDR (IPv4 or IPv6) every INTERVAL
seconds (default 0.05) without waiting for the answers, then waits up to WAIT
seconds (default 3) for the last ones.  Prints one line:
    sent N received M min A avg B max C sd D ms
(-v: every round trip first, one per line, in milliseconds).  Needs a raw
socket (root), so run it inside a lab namespace.  Exit status 0 when at least
one answer came, 1 when none did, 2 for bad arguments.
"""

import argparse
import os
import select
import socket
import statistics
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def open_socket(addr):
    """A raw ICMP (or ICMPv6) socket and the echo request/reply types for ADDR."""
    info = socket.getaddrinfo(addr, None, 0, socket.SOCK_RAW, 0, socket.AI_NUMERICHOST)[0]
    if info[0] == socket.AF_INET6:
        # The kernel fills in ICMPv6 checksums of raw sockets.
        return socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6), 128, 129, False
    return socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP), 8, 0, True


def echo(req, ident, seq, v4):
    payload = struct.pack("!d", time.monotonic()) + bytes(48)
    head = struct.pack("!BBHHH", req, 0, 0, ident, seq)
    csum = checksum(head + payload) if v4 else 0
    return struct.pack("!BBHHH", req, 0, csum, ident, seq) + payload


def parse_reply(data, v4, rep, ident):
    """The sequence number of our echo reply in DATA, or None."""
    if v4:
        data = data[(data[0] & 0x0F) * 4 :]  # raw IPv4 sockets get the IP header
    if len(data) < 8:
        return None
    typ, _code, _csum, rid, seq = struct.unpack("!BBHHH", data[:8])
    return seq if typ == rep and rid == ident else None


def main():
    ap = argparse.ArgumentParser(prog="lab-rtt.py", add_help=True)
    ap.add_argument("-c", type=int, default=20)
    ap.add_argument("-i", type=float, default=0.05)
    ap.add_argument("-W", type=float, default=3.0)
    ap.add_argument("-v", action="store_true")
    ap.add_argument("addr")
    args = ap.parse_args()
    if not 1 <= args.c <= 100000 or not 0 <= args.i <= 10 or not 0 < args.W <= 60:
        print("lab-rtt.py: want 1 <= -c <= 100000, 0 <= -i <= 10, 0 < -W <= 60", file=sys.stderr)
        return 2
    try:
        sock, req, rep, v4 = open_socket(args.addr)
    except (OSError, socket.gaierror) as err:
        print(f"lab-rtt.py: {args.addr}: {err.strerror}", file=sys.stderr)
        return 1
    ident = os.getpid() & 0xFFFF
    sent_at, rtts = {}, []
    start = time.monotonic()
    seq = 0
    last_sent = start
    while True:
        now = time.monotonic()
        if seq < args.c and now >= start + seq * args.i:
            sent_at[seq] = last_sent = time.monotonic()
            sock.sendto(echo(req, ident, seq, v4), (args.addr, 0))
            seq += 1
            continue
        if seq >= args.c and (len(rtts) == args.c or now >= last_sent + args.W):
            break
        wake = start + seq * args.i if seq < args.c else last_sent + args.W
        ready, _, _ = select.select([sock], [], [], max(0.0, wake - now))
        if ready:
            data = sock.recv(65536)
            got = parse_reply(data, v4, rep, ident)
            if got is not None and got in sent_at:
                rtts.append((time.monotonic() - sent_at.pop(got)) * 1000.0)
    if args.v:
        for r in rtts:
            print(f"{r:.3f}")
    if not rtts:
        print(f"sent {args.c} received 0")
        return 1
    sd = statistics.pstdev(rtts) if len(rtts) > 1 else 0.0
    print(
        f"sent {args.c} received {len(rtts)} min {min(rtts):.3f} avg {statistics.fmean(rtts):.3f}"
        f" max {max(rtts):.3f} sd {sd:.3f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
# SPDX-License-Identifier: BSD-2-Clause
