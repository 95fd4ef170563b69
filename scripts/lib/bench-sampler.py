#!/usr/bin/env python3
# bench-sampler.py: scripts/bench's sampler: every 5 ms for SECONDS seconds, appends "TIME RX_PACKETS" of t0 to FILE whenever the count changed (run in the lab's target namespace).
# Usage: bench-sampler.py FILE SECONDS
import sys, time
out = open(sys.argv[1], "w", buffering=1)
end = time.time() + float(sys.argv[2])
last = None
with open("/sys/class/net/t0/statistics/rx_packets") as f:
    while time.time() < end:
        t = time.time()
        f.seek(0)
        v = int(f.read())
        if v != last:
            out.write("%.6f %d\n" % (t, v))
            last = v
        time.sleep(0.005)
# SPDX-License-Identifier: BSD-2-Clause
