#!/usr/bin/env python3
# seeds.py: regenerates the seed corpora fuzz/corpus/<target>/ from the unit tests' tables, the pcap fixtures and examples.
"""Usage: fuzz/seeds.py [TOP]   (TOP: the source tree, default: this file's parent's parent)

Each corpus file is named <source>-<n>; the corpora are committed, so run
this again only when the tests' tables or fixtures change. Seeds are inputs
in each target's format (see fuzz/fuzz_<target>.c):
  reply    one selector byte (index into fuzz_reply.c's link type table) + a frame
  targets  a target token, list or target-file text
  ports    PORTS or PORTS|EXCLUDED
  policy   a policy file
  resume   a resume file
  cli      the arguments after "synscan -n", each ended by a NUL byte
"""
import os
import re
import shlex
import struct
import sys

TOP = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(TOP, "fuzz", "corpus")

# Selector bytes of fuzz_reply.c's table: EN10MB, LINUX_SLL, LINUX_SLL2, RAW, NULL, IPV4.
SEL_EN10MB, SEL_SLL, SEL_SLL2, SEL_RAW, SEL_NULL, SEL_IPV4 = range(6)

LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "v": "\v", "f": "\f", "a": "\a", "b": "\b"}


def c_unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = s[i + 1]
        if n == "x":
            m = re.match(r"[0-9a-fA-F]+", s[i + 2:])
            out.append(chr(int(m.group(0), 16)))
            i += 2 + len(m.group(0))
        elif n in "01234567":
            m = re.match(r"[0-7]{1,3}", s[i + 1:])
            out.append(chr(int(m.group(0), 8)))
            i += 1 + len(m.group(0))
        else:
            out.append(ESCAPES.get(n, n))
            i += 2
    return "".join(out)


def c_literals(path):
    """Every string literal of a C file, adjacent literals joined, comments skipped."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"^\s*#include.*$", "", text, flags=re.M)
    out, pos, cur = [], 0, None
    for m in LITERAL.finditer(text):
        between = text[pos:m.start()]
        if cur is not None and between.strip() == "":
            cur += c_unescape(m.group(1))
        else:
            if cur is not None:
                out.append(cur)
            cur = c_unescape(m.group(1))
        pos = m.end()
    if cur is not None:
        out.append(cur)
    return out


def c_arg_tables(path):
    """The argv tables of test_cli.c: {{"-p", "22", "198.18.0.2"}, ...} -> lists of words."""
    text = open(path, encoding="utf-8").read()
    rows = []
    for m in re.finditer(r"\{\{((?:\s*\"(?:[^\"\\\n]|\\.)*\"\s*,?)+)\s*\}", text):
        rows.append([c_unescape(w) for w in LITERAL.findall(m.group(1))])
    return rows


def pcap_frames(path):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    pos, frames = 24, []
    while pos + 16 <= len(data):
        caplen = struct.unpack(endian + "I", data[pos + 8:pos + 12])[0]
        frames.append(data[pos + 16:pos + 16 + caplen])
        pos += 16 + caplen
    return linktype, frames


class Corpus:
    def __init__(self, name):
        self.dir = os.path.join(OUT, name)
        os.makedirs(self.dir, exist_ok=True)
        for f in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, f))
        self.seen = set()
        self.count = {}

    def add(self, source, data):
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        if data in self.seen:
            return
        self.seen.add(data)
        n = self.count[source] = self.count.get(source, 0) + 1
        with open(os.path.join(self.dir, "%s-%03d" % (source, n)), "wb") as f:
            f.write(data)


def reply_seeds():
    c = Corpus("reply")
    fixtures = os.path.join(TOP, "tests", "fixtures")
    for name in sorted(os.listdir(fixtures)):
        if not name.endswith(".pcap"):
            continue
        linktype, frames = pcap_frames(os.path.join(fixtures, name))
        if linktype != 1:
            continue
        src = name[:-5]
        for i, fr in enumerate(frames):
            c.add(src, bytes([SEL_EN10MB]) + fr)
            # A few whole frames of each file also under the other link types.
            if src == "malformed" or i >= 3 or len(fr) < 14 or fr[12:14] != b"\x08\x00":
                continue
            ip = fr[14:]
            # The same IPv4 packet under every other link type reply_parse reads.
            sll = struct.pack(">HHH8sH", 0, 1, 6, fr[6:12] + b"\0\0", 0x0800)
            sll2 = struct.pack(">HHIHBB8s", 0x0800, 0, 2, 1, 0, 6, fr[6:12] + b"\0\0")
            c.add(src + "-sll", bytes([SEL_SLL]) + sll + ip)
            c.add(src + "-sll2", bytes([SEL_SLL2]) + sll2 + ip)
            c.add(src + "-raw", bytes([SEL_RAW]) + ip)
            c.add(src + "-null", bytes([SEL_NULL]) + struct.pack("<I", 2) + ip)
            c.add(src + "-ipv4", bytes([SEL_IPV4]) + ip)
            c.add(src + "-vlan", bytes([SEL_EN10MB]) + fr[:12] + b"\x81\x00\x00\x07\x08\x00" + ip)
    # Answers behind IPv6 extension headers and bare RSTs, as the lab's
    # crafted responder builds them (tests/integration/crafted.py), to a SYN.
    sys.path.insert(0, os.path.join(TOP, "tests", "integration"))
    import crafted  # pylint: disable=import-outside-toplevel

    for chain_kind, chain in (("synack", ["hbh"]), ("synack", ["hbh", "dst16", "rt"]), ("rst", ["dst"]),
                              ("unreach", ["hbh", "dst"]), ("synack", ["frag"]), ("bare", []),
                              ("bare", ["dst"]), ("synack", ["hbh", "dst", "rt", "frag"] + ["dst"] * 5)):
        c.add("exthdr", bytes([SEL_EN10MB]) + crafted.answer(syn_frame(6), {80: (chain_kind, chain)}))
    c.add("bare-rst", bytes([SEL_EN10MB]) + crafted.answer(syn_frame(4), {80: ("bare", [])}))
    return c


def syn_frame(version):
    """A SYN from the lab's scanner (port 61234) to its target's port 80."""
    tcp = struct.pack(">HHIIBBHHH", 61234, 80, 0x11223344, 0, 5 << 4, 2, 65535, 0, 0)
    eth = bytes(6) + bytes.fromhex("020000000001")
    if version == 6:
        ip = struct.pack(">IHBB", 6 << 28, len(tcp), 6, 64) + bytes.fromhex("20010db8" + "0" * 23 + "1")
        return eth + b"\x86\xdd" + ip + bytes.fromhex("20010db8" + "0" * 23 + "2") + tcp
    ip = struct.pack(">BBHHHBBH", 0x45, 0, 40, 0, 0, 64, 6, 0) + bytes([198, 18, 0, 1, 198, 18, 0, 2])
    return eth + b"\x08\x00" + ip + tcp


def strings_of(path, keep=lambda s: True):
    return [s for s in c_literals(path) if "%" not in s and len(s) < 300 and "\0" not in s and keep(s)]


def targets_seeds():
    c = Corpus("targets")
    for s in strings_of(os.path.join(TOP, "tests", "unit", "test_targetspec.c")):
        c.add("targetspec", s)
    c.add("file", "# lab hosts\n198.18.0.2 198.18.0.3\n198.18.0.0/30\t198.19.0-1.1-2 # octets\n\n198.18.0.10-198.18.0.12\r\n")
    c.add("file", "198.18.0.1\n\x00198.18.0.2\n")
    c.add("list", "198.18.0.1,198.18.0.0/24,198.18.0.5-198.18.0.9,10.0.0.0/8")
    c.add("list", "0.0.0.0/0")
    c.add("list", "255.255.255.255,0.0.0.0,198.19.1-2.7")
    for s in ["2001:db8::7", "2001:db8::/120", "2001:db8::1-2001:db8::ff", "::ffff:198.18.0.1", "fe80::1/128",
              "2001:db8::,198.18.0.1", "::/65", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/127"]:
        c.add("v6", s)
    return c


def ports_seeds():
    c = Corpus("ports")
    for s in strings_of(os.path.join(TOP, "tests", "unit", "test_ports.c"), lambda s: "\n" not in s):
        c.add("ports", s)
    for s in ["1-100|80", "1-1024|1-1024", "990-1010|1000-", "ssh,http|22", "-|0-1023", "0-65535|", "22,80,443|443,80"]:
        c.add("build", s)
    return c


def policy_seeds():
    c = Corpus("policy")
    for s in strings_of(os.path.join(TOP, "tests", "unit", "test_policy.c"), lambda s: " " in s):
        c.add("test", s)
    examples = os.path.join(TOP, "scripts", "examples")
    for name in sorted(os.listdir(examples)) if os.path.isdir(examples) else []:
        if name.startswith("policy"):
            c.add("example", open(os.path.join(examples, name), "rb").read())
    c.add("edge", "* * any\n0.0.0.0/0 0-65535 open|closed|filtered\n255.255.255.255 65535 shut\n")
    c.add("edge", "198.18.0-3.1-254,198.18.9.9 1-1024,ssh filtered # octets\n\t\r\n")
    c.add("edge", "2001:db8::/120,2001:db8::7 22 open\n* 80 closed\n")
    return c


def resume_seeds():
    c = Corpus("resume")
    for s in strings_of(os.path.join(TOP, "tests", "unit", "test_resume.c"), lambda s: "version" in s or "args" in s):
        c.add("test", s)
    c.add("good", '# synscan resume file: continue with synscan --resume synscan.resume\nversion 2\n'
          'seed 1234\nshard 1/1\npass 0\nnext 4096,4097\nargs ["-p-","--rate","1000","198.18.0.2"]\n'
          'state "/tmp/synscan.resume.state"\nstate_sum 0123456789abcdef\nrecords 0,7\n')
    c.add("good", 'version 2\nseed 18446744073709551615\nshard 3/4\npass 7\nnext 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n'
          'args ["quote\\"and\\\\back slash","","\\u00fc\\u0000x"]\n')
    return c


def cli_seeds():
    c = Corpus("cli")
    for words in c_arg_tables(os.path.join(TOP, "tests", "unit", "test_cli.c")):
        c.add("test", "".join(w + "\0" for w in words))
    usage = os.path.join(TOP, "tests", "integration", "t_usage.sh")
    for line in open(usage, encoding="utf-8"):
        if line.startswith("usage_error"):
            words = shlex.split(line)[1:]
            c.add("usage", "".join(w + "\0" for w in words))
    for words in [["--list-targets", "198.18.0-1.1-3"], ["-p", "1-10", "--exclude-ports", "5", "--exclude", "198.18.0.1", "198.18.0.0/30"],
                  ["-oA", "base", "--csv", "x.csv", "--status-json", "s.json", "--stats-every", "0.5", "198.18.0.2"],
                  ["--min-rate", "10", "--max-rate", "100", "--rate", "50", "--shard", "2/3", "--max-retries", "0", "198.18.0.2"],
                  ["--sender-threads", "2", "--send-mode", "txring", "--top-ports", "10", "198.18.0.2"]]:
        c.add("extra", "".join(w + "\0" for w in words))
    return c


def main():
    for make in (reply_seeds, targets_seeds, ports_seeds, policy_seeds, resume_seeds, cli_seeds):
        c = make()
        print("%-8s %4d seeds" % (os.path.basename(c.dir), len(c.seen)))


if __name__ == "__main__":
    main()
# SPDX-License-Identifier: BSD-2-Clause
