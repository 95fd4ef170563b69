#!/usr/bin/env python3
"""ptyrun.py: runs a command on a pseudo-terminal of a given width and checks what it drew.

  ptyrun.py run --cols N --log FILE [--key K] [--signals N] -- CMD...
      CMD as the foreground job of a new session on a pty (stdin, stdout and
      stderr); everything it writes goes to FILE. --key K: once the status
      line ("% done") has been drawn, the characters of K are typed, one every
      0.3 s ("\\n" is Enter). --signals N: once the status line is drawn, N
      SIGINTs 5 ms apart (a third one kills synscan). Prints "termios same" when the terminal's settings
      after CMD equal those before (else "termios changed"), and exits with
      CMD's status (128+N when killed by signal N).
  ptyrun.py check --cols N FILE
      Replays FILE on an N-column terminal and prints one line per fault: a
      status line ("% done", drawn in place) or a "Stats:" line reaching
      column N (it would wrap: other lines, the banner or -d's notes, are
      written once and may wrap), or a finished line mixing the status line
      with other text. Prints "clean" when none.
  ptyrun.py lines --cols N FILE
      The lines FILE leaves on an N-column terminal, one per line (a line
      redrawn in place shows as what was last drawn).
"""
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import fcntl


def run(cols, log, keys, nsignals, cmd):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    before = termios.tcgetattr(slave)

    def child_setup():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave,
                         preexec_fn=child_setup, close_fds=True)
    out = b""
    seen_status = None
    deadline = time.time() + 120
    while time.time() < deadline:
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""
            out += data
        if seen_status is None and b"% done" in out:
            seen_status = time.time()
            for ch in keys:
                time.sleep(0.3)
                os.write(master, ch.encode())
            for _ in range(nsignals):
                time.sleep(0.005)
                try:
                    os.kill(p.pid, signal.SIGINT)
                except ProcessLookupError:
                    break
        if p.poll() is not None and not r:
            break
    else:
        p.kill()
    rc = p.wait()
    while True:  # what is left
        r, _, _ = select.select([master], [], [], 0.1)
        if not r:
            break
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
    after = termios.tcgetattr(slave)
    with open(log, "wb") as f:
        f.write(out)
    print("termios same" if before == after else "termios changed: %r -> %r" % (before, after))
    return 128 - rc if rc < 0 else rc


def replay(cols, path):
    """The lines FILE leaves on the terminal (long ones unwrapped) and the faults."""
    data = open(path, "rb").read().decode("utf-8", "replace")
    rows, row, col, faults, i = [], [], 0, [], 0

    def commit(why):
        text = "".join(row).rstrip()
        rows.append(text)
        if "% done" in text and not text.startswith("Stats: ") and (
                "Discovered" in text or "synscan:" in text or text.index("% done") > 20
                or text.count("% done") > 1):
            faults.append("%s: a status line mixed with other text: %r" % (why, text))
    while i < len(data):
        c = data[i]
        if c == "\x1b" and data[i + 1:i + 3] == "[K":
            del row[col:]
            i += 3
            continue
        if c == "\r":
            col = 0
        elif c == "\n":
            commit("line")
            row, col = [], 0
        elif c >= " ":
            text = "".join(row)
            if col >= cols - 1 and ("% done" in text or text.startswith("Stats: ")):
                faults.append("column %d reached: %r" % (col + 1, text[:120]))
            while len(row) <= col:
                row.append(" ")
            row[col] = c
            col += 1
        i += 1
    commit("end")
    return rows, faults


def check(cols, path):
    faults = replay(cols, path)[1]
    print("\n".join(faults) if faults else "clean")
    return 1 if faults else 0


def main():
    a = sys.argv[1:]
    if not a or a[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if a else 2
    cmd, opts = a[0], {"--cols": "80", "--key": "", "--signals": "0", "--log": None}
    rest = a[1:]
    while rest and rest[0] in opts:
        opts[rest[0]] = rest[1]
        rest = rest[2:]
    if rest and rest[0] == "--":
        rest = rest[1:]
    if cmd == "run":
        keys = opts["--key"].encode().decode("unicode_escape")
        return run(int(opts["--cols"]), opts["--log"], keys, int(opts["--signals"]), rest)
    if cmd == "check":
        return check(int(opts["--cols"]), rest[0])
    if cmd == "lines":
        print("\n".join(replay(int(opts["--cols"]), rest[0])[0]))
        return 0
    return 2


sys.exit(main())
# SPDX-License-Identifier: BSD-2-Clause
