#!/usr/bin/env python3
"""check-chains.py FILE...: print each "check NAME COND && MORE" (or ||) line
of the integration tests, where check judges COND alone and MORE runs
unjudged; write "A && B; verdict $? NAME" instead. Exit 1 when any is found.
A statement is followed over continuation lines (a trailing \\, && or ||);
quotes and $(...) are skipped; a "|| diagnostics" after a check is allowed
only as "|| { ...; }"-free output commands: head, sed, cat, printf, echo."""
import re
import sys

DIAG = re.compile(r"\s*(head|sed|cat|printf|echo|tail)\b")


def statements(lines):
    i = 0
    while i < len(lines):
        start, s = i, lines[i]
        while i + 1 < len(lines) and re.search(r"(\\|&&|\|\|)\s*$", s):
            i += 1
            s = re.sub(r"\\\s*$", "", s) + " " + lines[i].strip()
        yield start + 1, s.strip()
        i += 1


def operators(s):
    """Positions of && and || outside quotes and $( )."""
    ops, quote, depth, i = [], None, 0, 0
    while i < len(s):
        c = s[i]
        if quote == "'":
            quote = None if c == "'" else quote
        elif c == "\\":
            i += 1
        elif s.startswith("$(", i):
            depth += 1
            i += 1
        elif c == ")" and depth:
            depth -= 1
        elif c == '"' and not depth:
            quote = None if quote == '"' else '"'
        elif quote or depth:
            pass
        elif c == "'":
            quote = "'"
        elif c == "#" and (i == 0 or s[i - 1] in " \t"):
            break
        elif s.startswith("&&", i) or s.startswith("||", i):
            ops.append((i, s[i:i + 2]))
            i += 1
        i += 1
    return ops


bad = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, s in statements(lines):
        if not s.startswith("check "):
            continue
        for pos, op in operators(s):
            if op == "||" and DIAG.match(s[pos + 2:]):
                continue
            print(f"{path}:{n}: {op} after check: {s[:120]}")
            bad += 1
            break
sys.exit(1 if bad else 0)
