#!/bin/bash
# t_exthdr.sh: IPv6 answers behind extension headers and bare RSTs (no ACK, seq 0) from a crafted responder are open/closed, not filtered.
# tags: lab
#
# tests/integration/crafted.py runs in the lab's target namespace and
# answers SYNs to ports the lab's firewall drops silently (20000-20999: the
# target's kernel says nothing there) with hand-made frames: SYN-ACKs, RSTs
# and an ICMPv6 unreachable behind 1-3 extension headers (hop-by-hop,
# destination options, routing, fragment), bare RSTs, and a RST without ACK
# whose seq is 1 (proves nothing: must stay filtered and count as bad). The
# bound: a SYN-ACK behind 8 destination options headers counts, one behind 9
# is bad (README: up to 8 extension headers).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

CRAFTED=$TOP/tests/integration/crafted.py

# field FILE WORDS: the number before WORDS in synscan's summary ("bad", ...).
field() { sed -n "s/.* \([0-9][0-9]*\) $2, .*/\1/p" "$1" | head -1; }

lab_up exthdr
ip netns exec "$LABNAME-tgt" timeout 100 python3 "$CRAFTED" -i t0 --duration 90 \
	20001=synack:hbh 20002=synack:hbh,dst 20003=rst:dst 20004=synack:hbh,dst16,rt \
	20005=synack:frag 20006=unreach:hbh 20007=bare 20008=bare:dst 20009=rstseq1 \
	20011=synack:hbh,dst,frag 20012=synack:dst,dst,dst,dst,dst,dst,dst,dst \
	20013=synack:dst,dst,dst,dst,dst,dst,dst,dst,dst >"$TMP/crafted.out" 2>&1 &
cpid=$!
for _ in $(seq 50); do
	grep -q '^ready' "$TMP/crafted.out" && break
	sleep 0.1
done
check "the crafted responder listens on the target's t0" grep -q '^ready' "$TMP/crafted.out"

# IPv6: every answer behind at most 8 extension headers counts; 20000 and
# 20010 get no answer (the firewall's drop), 20009's RST proves nothing,
# 20013's SYN-ACK is one header past the bound.
in_lab "$SYNSCAN" -p 20000-20013 --seed 3 --max-retries 1 2001:db8::2 -oJ "$TMP/v6.json" \
	>/dev/null 2>"$TMP/v6.err"
check "IPv6 scan exits 0" [ $? -eq 0 ]
sed 's/^/# /' "$TMP/v6.err"
ndjson_states "$TMP/v6.json" 2001:db8::2 >"$TMP/v6.states"
cat >"$TMP/v6.expect" <<'EOF'
20000 filtered no-response
20001 open syn-ack
20002 open syn-ack
20003 closed reset
20004 open syn-ack
20005 open syn-ack
20006 filtered admin-prohibited
20007 closed reset
20008 closed reset
20009 filtered no-response
20010 filtered no-response
20011 open syn-ack
20012 open syn-ack
20013 filtered no-response
EOF
same_lines "IPv6: answers behind 1-8 extension headers and bare RSTs as sent (9 headers, others silent)" \
	"$TMP/v6.expect" "$TMP/v6.states"
check "IPv6: the RST with seq 1 and the 9-header SYN-ACK counted bad ($(field "$TMP/v6.err" bad))" \
	[ "$(field "$TMP/v6.err" bad)" -ge 2 ]

# IPv4: a bare RST is closed; with a fixed source port (-g) nothing keys it
# and it is bad, as with nmap -g.
in_lab "$SYNSCAN" -p 20007,20009,20010 --seed 4 --max-retries 1 198.18.0.2 -oJ "$TMP/v4.json" \
	>/dev/null 2>"$TMP/v4.err"
check "IPv4 scan exits 0" [ $? -eq 0 ]
ndjson_states "$TMP/v4.json" 198.18.0.2 >"$TMP/v4.states"
printf '%s\n' '20007 closed reset' '20009 filtered no-response' '20010 filtered no-response' \
	>"$TMP/v4.expect"
same_lines "IPv4: the bare RST port is closed, the seq-1 RST's and the silent port filtered" \
	"$TMP/v4.expect" "$TMP/v4.states"
in_lab "$SYNSCAN" -g 4444 -p 20007 --max-retries 0 198.18.0.2 -oJ "$TMP/g.json" >/dev/null \
	2>"$TMP/g.err"
check "-g 4444: exits 0" [ $? -eq 0 ]
check "-g 4444: the bare RST is bad ($(field "$TMP/g.err" bad))" [ "$(field "$TMP/g.err" bad)" -ge 1 ]
# shellcheck disable=SC2016 # the inner bash expands them
check "-g 4444: the port is not closed" bash -c '! grep -q "\"state\":\"closed\"" "$1"' - "$TMP/g.json"

# nmap -sS says closed for the bare RST too (when nmap is installed).
if command -v nmap >/dev/null; then
	in_lab nmap -sS -n -Pn -p 20007,20009 198.18.0.2 -oX "$TMP/n.xml" >/dev/null 2>&1
	check "nmap -sS: the bare RST port is closed" \
		grep -q 'portid="20007"><state state="closed" reason="reset"' "$TMP/n.xml"
	# nmap takes any RST without ACK on its ports; synscan only seq 0 or ISN + 1
	# (README, Security): 20009 is where the two differ.
	check "nmap -sS: the seq-1 RST port is closed (synscan: filtered, the RST bad)" \
		grep -q 'portid="20009"><state state="closed" reason="reset"' "$TMP/n.xml"
else
	echo "# nmap is not installed: the nmap comparison is skipped"
fi
kill "$cpid" 2>/dev/null
wait "$cpid" 2>/dev/null
finish
# SPDX-License-Identifier: BSD-2-Clause
