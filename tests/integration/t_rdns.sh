#!/bin/bash
# t_rdns.sh: reverse DNS through src/net/rdns.c (tests/tools/rdns-bench) against the lab's resolver (lab up --dns).
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

BENCH=${RDNS_BENCH:-$(dirname "$SYNSCAN")/tests/tools/rdns-bench}
[ -x "$BENCH" ] || skip_all "no rdns-bench ($BENCH)"
command -v dnsmasq >/dev/null || skip_all "no dnsmasq (scripts/deps)"
lab_up rdns --dns

check "up --dns names the resolver in the scanner's resolv.conf" \
	grep -qx 'nameserver 198.18.0.2' "/etc/netns/$LABNAME-scan/resolv.conf"

# sorted OUT: the name lines of OUT sorted (answers come in any order),
# then its summary without the time.
sorted() { { grep -v '^lookups ' "$1" | sort; grep '^lookups ' "$1" | sed 's/ seconds .*//'; }; }

# PTR names from the resolver the namespace's resolv.conf names.
in_lab "$BENCH" --print 198.19.7.254 3 >"$TMP/names.txt"
printf '%s\n' '198.19.7.254 h-198-19-7-254.lab' '198.19.7.255 h-198-19-7-255.lab' '198.19.8.0 h-198-19-8-0.lab' \
	'lookups 3 names 3 nonames 0 timeouts 0 failures 0' >"$TMP/want.txt"
sorted "$TMP/names.txt" >"$TMP/got.txt"
same_lines "three PTR names (IPv4)" "$TMP/want.txt" "$TMP/got.txt"

in_lab "$BENCH" --print 2001:db8::1 2 >"$TMP/names6.txt"
sorted "$TMP/names6.txt" >"$TMP/got6.txt"
printf '%s\n' '2001:db8::1 scan.lab' '2001:db8::2 target.lab' \
	'lookups 2 names 2 nonames 0 timeouts 0 failures 0' >"$TMP/want6.txt"
same_lines "two PTR names (IPv6)" "$TMP/want6.txt" "$TMP/got6.txt"

# Addresses without a record: no name (NXDOMAIN), not a failure.
out=$(in_lab "$BENCH" 198.18.0.70 5)
check "no PTR record: 5 without a name ($out)" grep -q '^lookups 5 names 0 nonames 5 timeouts 0 failures 0 ' <<<"$out"

# Bounded: never more lookups under way than --max.
out=$(in_lab "$BENCH" --max 8 198.19.0.0 200)
check "at most --max 8 under way, 200 named ($out)" \
	grep -qE '^lookups 200 names 200 .* most_in_flight [1-8]$' <<<"$out"

# A server that never answers (no host holds 198.18.0.99): every lookup
# times out after its 2 tries of --timeout, and the tool still ends.
start=$(date +%s%N)
out=$(in_lab "$BENCH" --servers 198.18.0.99 --timeout 200 198.19.0.0 4)
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "silent server: exit 0 (exit $rc)" [ "$rc" -eq 0 ]
check "silent server: 4 timeouts ($out)" grep -q '^lookups 4 names 0 nonames 0 timeouts 4 failures 0 ' <<<"$out"
check "silent server: done in under 3 s (${ms} ms)" [ "$ms" -lt 3000 ]

"$LAB" --name "$LABNAME" down >/dev/null 2>&1
check "down removes the scanner's resolv.conf" [ ! -e "/etc/netns/$LABNAME-scan/resolv.conf" ]
finish
# SPDX-License-Identifier: BSD-2-Clause
