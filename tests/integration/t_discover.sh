#!/bin/bash
# t_discover.sh: discovery probes (src/net/discover.c) against the lab's Linux target: what it really answers, validated by disc_parse (tests/tools/disc-probe).
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

PROBE=${DISC_PROBE:-$(dirname "$SYNSCAN")/tests/tools/disc-probe}
[ -x "$PROBE" ] || skip_all "no disc-probe ($PROBE)"
lab_up disc
mac() { ip -n "$1" -j link show "$2" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["address"])'; }
SMAC=$(mac "$LABNAME-scan" s0)
TMAC=$(mac "$LABNAME-tgt" t0)

# answers NAME WANT SRC DST KIND [PORT]: disc-probe's line is WANT.
answers() {
	local name=$1 want=$2
	shift 2
	local got
	got=$(in_lab "$PROBE" s0 "$SMAC" "$TMAC" "$@" 2>&1)
	if [ "$got" = "$want" ]; then pass "$name"; else fail "$name: got \"$got\""; fi
}

answers "-PE: echo-reply" "answer echo echo-reply ttl 64 from 198.18.0.2 port 0" 198.18.0.1 198.18.0.2 echo
answers "-PP: timestamp-reply" "answer timestamp timestamp-reply ttl 64 from 198.18.0.2 port 0" 198.18.0.1 198.18.0.2 timestamp
answers "-PS443 (open): syn-ack" "answer syn syn-ack ttl 64 from 198.18.0.2 port 443" 198.18.0.1 198.18.0.2 syn 443
answers "-PS1 (closed): reset" "answer syn reset ttl 64 from 198.18.0.2 port 1" 198.18.0.1 198.18.0.2 syn 1
answers "-PA80 (open port): reset, seq = our ack" "answer ack reset ttl 64 from 198.18.0.2 port 80" 198.18.0.1 198.18.0.2 ack 80
answers "-PA1 (closed port): reset" "answer ack reset ttl 64 from 198.18.0.2 port 1" 198.18.0.1 198.18.0.2 ack 1
answers "-PA9000 (dropped by the firewall): nothing" "no answer (0 bad)" 198.18.0.1 198.18.0.2 ack 9000
answers "-PE to a local address of the target (198.19.4.5)" "answer echo echo-reply ttl 64 from 198.19.4.5 port 0" 198.18.0.1 198.19.4.5 echo
answers "-PE to an address nobody holds: nothing" "no answer (0 bad)" 198.18.0.1 198.18.0.77 echo
answers "-PE over IPv6: ICMPv6 echo-reply" "answer echo echo-reply ttl 64 from 2001:db8::2 port 0" 2001:db8::1 2001:db8::2 echo
answers "-PA80 over IPv6: reset" "answer ack reset ttl 64 from 2001:db8::2 port 80" 2001:db8::1 2001:db8::2 ack 80
answers "-PS443 over IPv6: syn-ack" "answer syn syn-ack ttl 64 from 2001:db8::2 port 443" 2001:db8::1 2001:db8::2 syn 443
finish
# SPDX-License-Identifier: BSD-2-Clause
