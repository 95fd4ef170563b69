# shellcheck shell=bash
# lib.sh: shared helpers for synscan's integration tests: lab set-up and teardown, checks, TAP output.
# Sourced by each tests/integration/t_*.sh. Every scan runs inside a lab
# namespace that the test creates and removes (even when it fails).
# Output is TAP: "ok N - name" / "not ok N - name", diagnostics as "# ...",
# the plan "1..N" at the end (finish); exit status 0 when every check
# passed, 1 when not, 77 (skipped, plan "1..0 # SKIP why") without root or
# a tool the lab needs. SYNSCAN is the binary under test (`make check` sets
# it; by hand it defaults to build/plain/synscan, what scripts/build makes).
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SYNSCAN=${SYNSCAN:-$TOP/build/plain/synscan}
LAB=$TOP/scripts/lab
LABCHECK=$TOP/tests/integration/labcheck.py
passed=0
failed=0

# skip_all WHY: the whole test is skipped (TAP plan "1..0 # SKIP", exit 77).
skip_all() {
	echo "1..0 # SKIP $*"
	exit 77
}

if [ ! -x "$SYNSCAN" ]; then
	echo "Bail out! ${0##*/}: no synscan binary at $SYNSCAN: build it with scripts/build (or set SYNSCAN)"
	exit 1
fi
[ "$(id -u)" -eq 0 ] || skip_all "needs root for its lab namespaces"
for tool in ip nft python3 timeout; do
	command -v "$tool" >/dev/null || skip_all "$tool is not installed (scripts/deps installs it)"
done

TMP=$(mktemp -d /tmp/synscan-it.XXXXXX)
# synscan drops root to nobody after set-up: its resume files must be writable.
chmod 1777 "$TMP"
LABNAME=
EXTRA_NS=()
EXTRA_LABS=()

# tap_name TEXT: TEXT on one line, its '#' escaped (TAP reads "# SKIP" as a directive).
tap_name() {
	local s=${1//$'\n'/ }
	printf '%s' "${s//\#/\\#}"
}
pass() {
	passed=$((passed + 1))
	echo "ok $((passed + failed)) - $(tap_name "$*")"
}
fail() {
	failed=$((failed + 1))
	echo "not ok $((passed + failed)) - $(tap_name "$*")"
}

# labcheck SUBCOMMAND ARGS...: tests/integration/labcheck.py (its checks and extractions).
labcheck() { python3 "$LABCHECK" "$@"; }

# check NAME CMD...: passes when CMD succeeds; returns CMD's verdict, so that
# "check NAME CMD || head FILE" shows why it failed (tests/tools/check-chains.py
# refuses any other && or || after a check).
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else
		fail "$name"
		return 1
	fi
}

# verdict RC NAME: passes when RC (the $? of the line before) is 0: for a
# condition of several commands, which check cannot take ("check NAME A && B"
# checks A and runs B unjudged):
#   A && B
#   verdict $? NAME
verdict() {
	if [ "$1" -eq 0 ]; then pass "$2"; else fail "$2"; fi
}

# asan_build: whether $SYNSCAN was built with AddressSanitizer (its shadow
# memory and quarantine make RSS no measure, and valgrind cannot run it).
asan_build() {
	[[ $SYNSCAN == */asan/* ]] || ldd "$SYNSCAN" 2>/dev/null | grep -q 'libasan\|libclang_rt\.asan' ||
		nm -D "$SYNSCAN" 2>/dev/null | grep -q ' __asan_init'
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
		sed 's/^/# /' "$TMP/lab-up.log"
		fail "lab up"
		finish
		exit 1
	}
}

# in_lab CMD...: runs CMD in the lab's scanner namespace, bounded to 120 s.
in_lab() { timeout 120 ip netns exec "$LABNAME-scan" "$@"; }

# expected_states [PORTS]: "PORT STATE REASON" lines of the built-in lab.
expected_states() { "$LAB" --name "$LABNAME" expect "$@"; }

# ndjson_ports FILE: the port records of synscan's -oJ FILE as they were
# before records had a type and a time ({"ip":…,"port":…,…}): begin, host
# and end records left out, so lines of two runs compare.
ndjson_ports() { sed -n 's/^{"type":"port","time":"[^"]*",/{/p' "$1"; }
# ndjson_states FILE IP: "PORT STATE REASON" lines of one host from NDJSON.
ndjson_states() { labcheck ndjson-states "$1" "$2"; }

# nmap_states XML: "PORT STATE" for every port 1-65535 of the first host of
# nmap's XML (ports in <extraports> come from their <extrareasons ports="…">
# ranges, as nmap 7.9x writes them; "missing" where nmap says nothing).
nmap_states() { labcheck nmap-states "$1"; }

# same_lines NAME FILE_A FILE_B: passes when equal; shows a short diff if not.
same_lines() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1"
		diff "$2" "$3" | head -20 | sed 's/^/# /'
	fi
}

# finish: the summary and the TAP plan; true when no check failed.
finish() {
	echo "# ${0##*/}: $passed passed, $failed failed"
	echo "1..$((passed + failed))"
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
syn_counts() { ip netns exec "$1" nft -j list set inet probes seen | labcheck syn-counts; }

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
wrong_ports() { labcheck wrong-ports "$1" "$2" <(expected_states); }

# hosts_of XML: a line per <host> of nmap-style XML (its status, reason and
# IP address), sorted (nmap -v lists down hosts first), and the <hosts>
# line; nmap's <hosthint> elements left out.
hosts_of() {
	sed '/<hosthint>/,/<\/hosthint>/d' "$1" |
		grep -oE '<status state="[a-z]+" reason="[a-z-]+"|<address addr="[^"]+" addrtype="ipv[46]"|<hosts up="[0-9]+" down="[0-9]+" total="[0-9]+"' |
		awk '/^<status/ {s = $0; next} /^<address/ {print s " " $0; next} {print}' | LC_ALL=C sort
}

# clients_same_hosts WHAT WANT.xml GOT.xml: python-libnmap and python-nmap
# read GOT's hosts (states, reasons, addresses, names) as WANT's: a check
# named WHAT, skipped when neither is installed.
clients_same_hosts() {
	local rc=0
	/usr/bin/python3 "$TOP/tests/integration/xmlclients.py" same-hosts "$2" "$3" >"$TMP/cl.txt" || rc=$?
	sed 's/^/# /' "$TMP/cl.txt"
	if [ $rc -eq 77 ]; then
		echo "# python-libnmap and python-nmap are not installed (scripts/deps): skipped"
	else
		check "$1" [ $rc -eq 0 ]
	fi
}
# SPDX-License-Identifier: BSD-2-Clause
