# shellcheck shell=bash
# lib.sh: shared helpers for synscan's integration tests: lab set-up and teardown, checks, counting.
# Sourced by each tests/integration/t_*.sh. Every scan runs inside a lab
# namespace that the test creates and removes (even when it fails).
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SYNSCAN=${SYNSCAN:-$TOP/synscan}
LAB=$TOP/scripts/lab
TMP=$(mktemp -d /tmp/synscan-it.XXXXXX)
# synscan drops root to nobody after set-up: its resume files must be writable.
chmod 1777 "$TMP"
LABNAME=
EXTRA_NS=()
EXTRA_LABS=()
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# check NAME CMD...: passes when CMD succeeds.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

cleanup() {
	[ -n "$LABNAME" ] && "$LAB" --name "$LABNAME" down >/dev/null 2>&1
	local ns lab
	for lab in "${EXTRA_LABS[@]+"${EXTRA_LABS[@]}"}"; do
		"$LAB" --name "$lab" down >/dev/null 2>&1
	done
	for ns in "${EXTRA_NS[@]+"${EXTRA_NS[@]}"}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# lab_up TAG [lab up options]: a lab of this test's own.
lab_up() {
	LABNAME=it-$1-$$
	shift
	"$LAB" --name "$LABNAME" up "$@" >"$TMP/lab-up.log" 2>&1 || {
		cat "$TMP/lab-up.log"
		fail "lab up"
		finish
		exit 1
	}
}

# in_lab CMD...: runs CMD in the lab's scanner namespace, bounded to 120 s.
in_lab() { timeout 120 ip netns exec "$LABNAME-scan" "$@"; }

# expected_states [PORTS]: "PORT STATE REASON" lines of the built-in lab.
expected_states() { "$LAB" --name "$LABNAME" expect "$@"; }

# ndjson_states FILE IP: "PORT STATE REASON" lines of one host from NDJSON.
ndjson_states() {
	python3 - "$1" "$2" <<'PY'
import json, sys
rows = []
for line in open(sys.argv[1]):
    j = json.loads(line)
    if j["ip"] == sys.argv[2]:
        rows.append((j["port"], j["state"], j["reason"]))
for p, s, r in sorted(rows):
    print(p, s, r)
PY
}

# nmap_states XML: "PORT STATE" for every port 1-65535 of the first host of
# nmap's XML (ports in <extraports> come from their <extrareasons ports="…">
# ranges, as nmap 7.9x writes them; "missing" where nmap says nothing).
nmap_states() {
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
ports = ET.parse(sys.argv[1]).getroot().find("host").find("ports")
state = {}
for ex in ports.findall("extraports"):
    for er in ex.findall("extrareasons"):
        for item in er.get("ports", "").split(","):
            if item:
                lo, _, hi = item.partition("-")
                for p in range(int(lo), int(hi or lo) + 1):
                    state[p] = ex.get("state")
for p in ports.findall("port"):
    state[int(p.get("portid"))] = p.find("state").get("state")
for p in range(1, 65536):
    print(p, state.get(p, "missing"))
PY
}

# same_lines NAME FILE_A FILE_B: passes when equal; shows a short diff if not.
same_lines() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1"
		diff "$2" "$3" | head -20
	fi
}

finish() {
	echo "# ${0##*/}: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# syn_counter_on NS: counts, in namespace NS, every SYN by destination address and port.
syn_counter_on() {
	ip netns exec "$1" nft -f - <<'NFT'
table inet probes {
	set seen {
		type ipv4_addr . inet_service
		flags dynamic
		counter
		size 4194304
	}
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		tcp flags & (syn | ack) == syn update @seen { ip daddr . tcp dport }
	}
}
NFT
}

# syn_counts NS: "ADDR PORT COUNT" for every SYN destination seen in NS.
syn_counts() {
	ip netns exec "$1" nft -j list set inet probes seen | python3 -c '
import json, sys
for item in json.load(sys.stdin)["nftables"]:
    s = item.get("set")
    for e in (s or {}).get("elem", []):
        e = e["elem"]
        addr, port = e["val"]["concat"]
        print(addr, port, e["counter"]["packets"])
'
}

# loss_on NS PCT: NS drops PCT % of incoming SYNs at random, before anything else.
loss_on() {
	ip netns exec "$1" nft -f - <<NFT
table inet loss {
	chain pre {
		type filter hook prerouting priority -400; policy accept;
		tcp flags & (syn | ack) == syn numgen random mod 100 < $2 drop
	}
}
NFT
}

# wrong_ports NDJSON IP: how many ports of the lab's expectation IP's NDJSON gets wrong.
wrong_ports() {
	python3 - "$1" "$2" <(expected_states) <<'PY'
import json, sys
got = {}
for line in open(sys.argv[1]):
    j = json.loads(line)
    if j["ip"] == sys.argv[2]:
        got[j["port"]] = j["state"]
wrong = [l.split() for l in open(sys.argv[3]) if got.get(int(l.split()[0])) != l.split()[1]]
print(len(wrong), " ".join(f"{p}:{s}->{got.get(int(p))}" for p, s, _ in wrong[:5]))
PY
}
