#!/usr/bin/env python3
# lab-offloads.py: turns checksum, segmentation and receive offloads off on the given interfaces (legacy ethtool ioctls, no ethtool binary), so that every frame on the lab's WAN path is whole: the delay line forwards frames as they are.
# Usage: lab-offloads.py IFNAME...   (run in the interfaces' namespace)
# Exit status 0, or 1 with one line on stderr when an offload stays on.
import ctypes
import fcntl
import socket
import struct
import sys

SIOCETHTOOL = 0x8946
# (get, set) commands of linux/ethtool.h.  tx: checksums filled in by the
# "hardware" (a veth leaves them to the receiver); tso/gso: frames longer
# than the MTU; gro: frames merged on receipt.
FEATURES = {"tx": (0x16, 0x17), "tso": (0x1E, 0x1F), "gso": (0x23, 0x24), "gro": (0x2B, 0x2C)}


def ethtool(sock, ifname, cmd, data=0):
    buf = ctypes.create_string_buffer(struct.pack("II", cmd, data), 8)
    fcntl.ioctl(sock, SIOCETHTOOL, struct.pack("16sP", ifname, ctypes.addressof(buf)))
    return struct.unpack("II", buf.raw[:8])[1]


def main(args):
    if not args:
        print("usage: lab-offloads.py IFNAME...", file=sys.stderr)
        return 2
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for name in args:
        ifname = name.encode()
        left = []
        for feature, (get, set_) in FEATURES.items():
            try:
                ethtool(sock, ifname, set_, 0)
            except OSError:
                pass
            try:
                if ethtool(sock, ifname, get):
                    left.append(feature)
            except OSError as err:
                print(f"lab-offloads.py: {name}: {err.strerror}", file=sys.stderr)
                return 1
        if left:
            print(f"lab-offloads.py: {name} still has {','.join(left)} on", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
# SPDX-License-Identifier: BSD-2-Clause
