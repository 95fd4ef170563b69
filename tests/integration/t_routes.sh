#!/bin/bash
# t_routes.sh: targets on the link, behind a gateway, on loopback and local addresses, and the -e/-S/-g/--router-mac overrides.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

PORTS=21-25,80,135,9000,9001,30000,30100
lab_up routes
expected_states "$PORTS" >"$TMP/expect.txt"

# scan_ok NAME TARGET [options]: the ports of TARGET equal the lab's expectation.
scan_ok() {
	local name=$1 target=$2
	shift 2
	in_lab "$SYNSCAN" -q -p "$PORTS" --wait 0.5 "$@" "$target" -oJ "$TMP/r.json" >/dev/null 2>"$TMP/r.err"
	local rc=$?
	[ "$rc" -eq 0 ] || { fail "$name: exit $rc: $(cat "$TMP/r.err")"; return; }
	ndjson_states "$TMP/r.json" "$target" >"$TMP/r.txt"
	same_lines "$name" "$TMP/expect.txt" "$TMP/r.txt"
}

scan_ok "same-link target 198.18.0.2" 198.18.0.2
scan_ok "target behind the gateway 198.18.0.2: 198.19.7.9" 198.19.7.9
scan_ok "fixed source port -g 40000" 198.18.0.2 -g 40000
scan_ok "-e s0" 198.18.0.2 -e s0
scan_ok "-S 198.18.0.1" 198.18.0.2 -S 198.18.0.1
tmac=$(ip netns exec "$LABNAME-tgt" cat /sys/class/net/t0/address)
scan_ok "--router-mac $tmac (no ARP)" 198.19.0.1 --router-mac "$tmac"

# Several hosts at once: every address of 198.19.0.0/30 answers, plus 198.18.0.2.
in_lab "$SYNSCAN" -q -p 22,23 --wait 0.5 198.19.0.0/30 198.18.0.2 -oJ "$TMP/m.json" >"$TMP/m.txt"
hosts=$(labcheck ndjson-hosts "$TMP/m.json")
check "five hosts answer (got $hosts)" [ "$hosts" = 5 ]
check "normal output says 5 hosts up" grep -q "^synscan done: 5 IP addresses (5 hosts up)" "$TMP/m.txt"

# One of our own addresses: sent through lo.
ip netns exec "$LABNAME-scan" setsid "$TOP/scripts/lab-listen" 2222 </dev/null >/dev/null 2>&1 &
for _ in $(seq 50); do ip netns exec "$LABNAME-scan" ss -ltnH | grep -q ':2222 ' && break; sleep 0.1; done
in_lab "$SYNSCAN" -q -p 2220-2224 --wait 0.3 198.18.0.1 -oJ "$TMP/l.json" >/dev/null
printf '2220 closed reset\n2221 closed reset\n2222 open syn-ack\n2223 closed reset\n2224 closed reset\n' >"$TMP/l.expect"
ndjson_states "$TMP/l.json" 198.18.0.1 >"$TMP/l.txt"
same_lines "own address 198.18.0.1 through lo" "$TMP/l.expect" "$TMP/l.txt"

# Loopback inside a fresh namespace of its own.
ns=it-lo-$$
EXTRA_NS+=("$ns")
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" setsid "$TOP/scripts/lab-listen" 22 8080 </dev/null >/dev/null 2>&1 &
for _ in $(seq 50); do ip netns exec "$ns" ss -ltnH | grep -q ':8080 ' && break; sleep 0.1; done
for addr in 127.0.0.1 127.1.2.3; do
	timeout 60 ip netns exec "$ns" "$SYNSCAN" -q -p 20-23,8080 --wait 0.3 "$addr" -oJ "$TMP/lo.json" >/dev/null
	printf '20 closed reset\n21 closed reset\n22 open syn-ack\n23 closed reset\n8080 open syn-ack\n' >"$TMP/lo.expect"
	ndjson_states "$TMP/lo.json" "$addr" >"$TMP/lo.txt"
	same_lines "loopback $addr" "$TMP/lo.expect" "$TMP/lo.txt"
done
finish
# SPDX-License-Identifier: BSD-2-Clause
