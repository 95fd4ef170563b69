#!/usr/bin/env python3
# lab-connect.py: one TCP connect (1 s timeout) to ADDR PORT for the lab's sanity check; prints "open", "closed" or why it failed.
import socket
import sys

s = socket.socket()
s.settimeout(1)
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
    print("open")
except ConnectionRefusedError:
    print("closed")
except OSError as e:
    print(e.strerror or "timeout")
# SPDX-License-Identifier: BSD-2-Clause
