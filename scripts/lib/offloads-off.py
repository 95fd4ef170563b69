#!/usr/bin/env python3
# offloads-off.py: turns TSO, GSO and GRO off on one interface with the legacy ethtool ioctls (no ethtool binary needed); exits non-zero if one is still on (scripts/bench and scripts/accuracy run it in a lab's scanner namespace, for s0).
# Usage: offloads-off.py IFNAME
import ctypes, fcntl, socket, struct, sys
SIOCETHTOOL = 0x8946
# (get, set) commands of linux/ethtool.h
features = {"tso": (0x1e, 0x1f), "gso": (0x23, 0x24), "gro": (0x2b, 0x2c)}
ifname = sys.argv[1].encode()
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

def ethtool(cmd, data=0):
    buf = ctypes.create_string_buffer(struct.pack("II", cmd, data), 8)
    fcntl.ioctl(sock, SIOCETHTOOL, struct.pack("16sP", ifname, ctypes.addressof(buf)))
    return struct.unpack("II", buf.raw[:8])[1]

left = []
for name, (get, set_) in features.items():
    try:
        ethtool(set_, 0)
    except OSError:
        pass
    if ethtool(get):
        left.append(name)
if left:
    sys.exit("s0 still has " + ",".join(left) + " on")
# SPDX-License-Identifier: BSD-2-Clause
