#!/bin/bash
# t_blocklist.sh: safety rails: the default blocklist (--list-targets shows it, --no-blocklist lifts it, loopback named on its own is kept), the warning before large scans, the on-link broadcast address never probed.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

lab_up block
# An empty namespace (no interface up, no route) for what must send nothing.
EMPTY=it-blk-$$
EXTRA_NS+=("$EMPTY")
ip netns add "$EMPTY"
in_empty() { timeout 60 ip netns exec "$EMPTY" "$@"; }

# listed NAME EXPECTED ARGS...: --list-targets ARGS prints exactly EXPECTED (space separated), exit 0.
listed() {
	local name=$1 want=$2
	shift 2
	in_empty "$SYNSCAN" --list-targets "$@" >"$TMP/l.out" 2>"$TMP/l.err"
	local rc=$? got
	got=$(tr '\n' ' ' <"$TMP/l.out")
	if [ "$rc" -eq 0 ] && [ "$got" = "$want " ]; then
		pass "list $name"
	else
		fail "list $name: rc=$rc, got '$got', stderr: $(head -3 "$TMP/l.err")"
	fi
}

listed "loopback, multicast, reserved inside a wider range are left out" \
	"126.255.255.255 128.0.0.0 223.255.255.255" \
	126.255.255.255-128.0.0.0 223.255.255.255-255.255.255.255
check "the note names each range and its count" grep -qx \
	'synscan: left out 553648128 addresses in the default blocklist: 127.0.0.0/8 (loopback, inside a wider target) 16777216; 224.0.0.0/4 (multicast) 268435456; 240.0.0.0/4 (reserved, limited broadcast) 268435456 (--no-blocklist scans them)' \
	"$TMP/l.err" || head -2 "$TMP/l.err" | sed 's/^/# /'
listed "loopback named on its own, the lab's ranges, documentation, private: kept" \
	"::1 10.0.0.1 127.0.0.1 127.1.2.3 192.0.2.1 198.18.0.255 198.19.255.255 2001:db8::1" \
	127.0.0.1 127.1.2.3 ::1 198.18.0.255 198.19.255.255 2001:db8::1 192.0.2.1 10.0.0.1
check "nothing left out: no note" [ "$(grep -c 'blocklist' "$TMP/l.err")" -eq 0 ]
listed "multicast, broadcast, unspecified among others: left out" "198.18.0.7" \
	198.18.0.7 224.0.0.1 239.255.255.250 255.255.255.255 0.0.0.0 0.0.1.0 0.255.255.255 :: ff02::1 ff05::1:3
in_empty "$SYNSCAN" -q --list-targets 198.18.0.1-2 224.0.0.1 >"$TMP/q.out" 2>"$TMP/q.err"
[ $? -eq 0 ] && [ "$(tr '\n' ' ' <"$TMP/q.out")" = "198.18.0.1 198.18.0.2 " ] && [ ! -s "$TMP/q.err" ]
verdict $? "-q --list-targets: the list, nothing on stderr (no count, no blocklist note): $(head -2 "$TMP/q.err")"
listed "--no-blocklist lists them" ":: 0.0.0.0 224.0.0.1 255.255.255.255 ff02::1" \
	--no-blocklist 224.0.0.1 255.255.255.255 0.0.0.0 :: ff02::1
printf '127.0.0.1\n224.0.0.251\n' >"$TMP/in.txt"
listed "an -iL file: loopback named kept, multicast left out" "127.0.0.1" -iL "$TMP/in.txt"
in_empty "$SYNSCAN" --list-targets 224.0.0.1 ff02::1 >"$TMP/m.out" 2>"$TMP/m.err"
rc=$?
if [ "$rc" -eq 2 ] && [ ! -s "$TMP/m.out" ]; then
	pass "only blocked targets: exit 2, nothing listed"
else
	fail "only blocked targets: exit 2, nothing listed"
fi
check "... one line naming the ranges and --no-blocklist" grep -qx \
	'synscan: no targets left to scan: left out 2 addresses in the default blocklist: 224.0.0.0/4 (multicast) 1; ff00::/8 (multicast) 1 (--no-blocklist scans them)' \
	"$TMP/m.err"

# Large scans: a warning on stderr, no question (the empty namespace has no
# route: the scan fails before its first probe).
in_empty "$SYNSCAN" -p 80 0.0.0.0/0 -oJ /dev/null >/dev/null 2>"$TMP/big.err" </dev/null
check "-p 80 0.0.0.0/0: warned (3724541952 addresses, 10.3 hours at 100000 pps)" grep -qx \
	'synscan: warning: a large scan: 3724541952 addresses x 1 port = 3724541952 probes (large: more than 2^24 addresses or 10^9 probes), 10.3 hours at 100000 pps; Ctrl-C stops it with a resume file' \
	"$TMP/big.err" || head -3 "$TMP/big.err" | sed 's/^/# /'
in_empty "$SYNSCAN" -q -p 1-65535 --rate 5000 198.18.0.0/16 -oJ /dev/null >/dev/null 2>"$TMP/probes.err" </dev/null
check "-q, 2^32 probes at --rate 5000: still warned (238.6 hours)" \
	grep -q '^synscan: warning: a large scan: 65536 addresses x 65535 ports = 4294901760 probes .* 238.6 hours at 5000 pps' "$TMP/probes.err"
in_empty "$SYNSCAN" -p 80 198.18.0.0/8 -oJ /dev/null >/dev/null 2>"$TMP/small.err" </dev/null
check "a /8 (2^24 addresses) is not large: no warning" [ "$(grep -c 'large scan' "$TMP/small.err")" -eq 0 ]

# The on-link broadcast address: left out with a note, never probed. The
# lab's scanner is 198.18.0.1/24: 198.18.0.255 is s0's broadcast address.
syn_counter_on "$LABNAME-tgt"
in_lab "$SYNSCAN" -p 80,81 --max-retries 2 --wait 0.3 -oJ "$TMP/b.json" 198.18.0.2 198.18.0.255 \
	>/dev/null 2>"$TMP/b.err"
check "scan with the broadcast address: exit 0" [ $? -eq 0 ]
check "the broadcast address left out with a note" grep -qx \
	'synscan: left out 198.18.0.255, the broadcast address of 198.18.0.0/24 on s0: nothing sent to it' "$TMP/b.err"
syn_counts "$LABNAME-tgt" >"$TMP/b.counts"
check "no SYN reached 198.18.0.255" [ "$(grep -c '^198.18.0.255 ' "$TMP/b.counts")" -eq 0 ]
check "the other target was probed once a port" \
	[ "$(grep -c '^198.18.0.2 8[01] 1$' "$TMP/b.counts")" -eq 2 ]
check "no 'did not answer ARP' line for it" [ "$(grep -c 'did not answer ARP' "$TMP/b.err")" -eq 0 ]
in_lab "$SYNSCAN" -sn 198.18.0.0/24 -oJ /dev/null >/dev/null 2>"$TMP/sn.err"
check "-sn: the same note for the broadcast address" grep -qx \
	'synscan: left out 198.18.0.255, the broadcast address of 198.18.0.0/24 on s0: nothing sent to it' "$TMP/sn.err"
finish
# SPDX-License-Identifier: BSD-2-Clause
