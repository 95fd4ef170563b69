#!/usr/bin/env python3
# lab-catchall.py: synscan-verify's catch-all listener: an IP_TRANSPARENT socket that nftables' tproxy hands every SYN the ruleset lets through to a port without a real listener; prints its port, then accepts and closes forever.
import socket

IP_TRANSPARENT = 19
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_IP, IP_TRANSPARENT, 1)
s.bind(("0.0.0.0", 0))
s.listen(4096)
print(s.getsockname()[1], flush=True)
while True:
    try:
        s.accept()[0].close()
    except OSError:
        pass
# SPDX-License-Identifier: BSD-2-Clause
