#!/bin/bash
# t_silent.sh: targets that never answer end within --wait + 1 s and are reported as they are.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

lab_up silent

# timed CMD...: runs CMD and sets t to its wall time in seconds.
timed() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@"
	t1=$(date +%s.%N)
	t=$(awk "BEGIN{printf \"%.2f\", $t1 - $t0}")
}

# Every probe dropped by the target's firewall (behind the gateway).
timed in_lab "$SYNSCAN" -p 135-139,445,20000-20099 --wait 1 198.19.0.9 \
	>"$TMP/s.txt" 2>"$TMP/s.err"
echo "# all-dropped scan took $t s"
check "silent host: ends within wait + 1 s ($t s)" awk "BEGIN{exit !($t < 2.0)}"
if grep -q "(1 host up)" "$TMP/s.txt" && grep -q "Not shown: 106 filtered tcp ports (no-response)" "$TMP/s.txt"; then
	pass "silent ports: the host is up by its echo reply (discovery, as nmap), every port filtered"
else
	fail "silent ports: the host is up by its echo reply (discovery, as nmap), every port filtered"
fi
check "silent host: all probes sent, no replies" grep -q "106/106 probes sent.* 0 replies" "$TMP/s.err"

# --wait 0 ends at once after sending.
timed in_lab "$SYNSCAN" -q -p 135 --wait 0 198.19.0.9 >/dev/null
check "--wait 0 ends within 1 s ($t s)" awk "BEGIN{exit !($t < 1.0)}"

# An on-link address nobody holds: ARP fails, nothing is sent, bounded time;
# discovery finds it down (nmap's note), with -Pn the port scan skips it.
timed in_lab "$SYNSCAN" -p 22 --wait 1 198.18.0.77 >"$TMP/a.txt" 2>"$TMP/a.err"
echo "# unanswered-ARP scan took $t s"
check "no ARP answer: exit 0 and bounded ($t s)" awk "BEGIN{exit !($t < 3.0)}"
if grep -q "(0 hosts up)" "$TMP/a.txt" && grep -q "^Note: Host seems down" "$TMP/a.err"; then
	pass "no ARP answer: host not up, nmap's note (on stderr, with discovery's line)"
else
	fail "no ARP answer: host not up, nmap's note (on stderr, with discovery's line)"
fi
check "no ARP answer: the banner says no target is reachable (no interface '?'): $(sed -n 2p "$TMP/a.txt")" \
	grep -qx 'Scanning 1 target x 1 port (0 probes) as fast as the answers allow; no target reachable' "$TMP/a.txt"
timed in_lab "$SYNSCAN" -Pn -p 22 --wait 1 198.18.0.77 >"$TMP/a.txt" 2>"$TMP/a.err"
check "no ARP answer, -Pn: exit 0 and bounded ($t s)" awk "BEGIN{exit !($t < 3.0)}"
check "no ARP answer, -Pn: summary says so" grep -q "1 probe not sent: its target did not answer ARP" "$TMP/a.err"
check "no ARP answer, -Pn: host not up" grep -q "(0 hosts up)" "$TMP/a.txt"
finish
# SPDX-License-Identifier: BSD-2-Clause
