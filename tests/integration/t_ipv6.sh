#!/bin/bash
# t_ipv6.sh: IPv6 scans in the lab: every port of a same-link and a routed target exact, v4 and v6 in one scan, ranges, outputs, nmap -6 agreement.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

# states6 NDJSON IP PORTS OUT: the scan's "PORT STATE REASON" lines of IP in
# OUT, and the lab's IPv6 expectation for PORTS in OUT.expect.
states6() {
	ndjson_states "$1" "$2" >"$4"
	expected_states -6 ${3:+"$3"} >"$4.expect"
}

# --- Same link: 2001:db8::2 on the scanner's own /64 (neighbour discovery).
lab_up ipv6
in_lab "$SYNSCAN" -q -p- --rate 100000 --seed 11 2001:db8::2 -oJ "$TMP/a.json" >/dev/null 2>"$TMP/a.err"
check "same-link IPv6 scan exits 0" [ $? -eq 0 ]
states6 "$TMP/a.json" 2001:db8::2 "" "$TMP/a.txt"
same_lines "same link: all 65535 ports of 2001:db8::2 exact (state and reason)" "$TMP/a.txt.expect" "$TMP/a.txt"
check "same link: hop limit 64 on answers" grep -q '"ip":"2001:db8::2","port":22,"proto":"tcp","state":"open","reason":"syn-ack","ttl":64' "$TMP/a.json"
check "same link: ICMPv6 admin-prohibited seen" grep -q '"state":"filtered","reason":"admin-prohibited"' "$TMP/a.json"

# v4 and v6 in one scan, one output; each family exact.
in_lab "$SYNSCAN" -q -p 1-1024,3306,8080,30000-30010 --seed 5 198.18.0.2 2001:db8::2 \
	-oJ "$TMP/m.json" -oX "$TMP/m.xml" -oG "$TMP/m.gnmap" >/dev/null
check "mixed v4+v6 scan exits 0" [ $? -eq 0 ]
states6 "$TMP/m.json" 2001:db8::2 1-1024,3306,8080,30000-30010 "$TMP/m6.txt"
same_lines "mixed scan: IPv6 target exact" "$TMP/m6.txt.expect" "$TMP/m6.txt"
ndjson_states "$TMP/m.json" 198.18.0.2 >"$TMP/m4.txt"
expected_states 1-1024,3306,8080,30000-30010 >"$TMP/m4.expect"
same_lines "mixed scan: IPv4 target exact" "$TMP/m4.expect" "$TMP/m4.txt"
check "mixed scan: XML has both address types" \
	grep -q 'addr="2001:db8::2" addrtype="ipv6"' "$TMP/m.xml"
check "mixed scan: XML valid against nmap's DTD" \
	xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd "$TMP/m.xml"
check "mixed scan: grepable names the IPv6 host" grep -q '^Host: 2001:db8::2 ()	Ports: ' "$TMP/m.gnmap"

# --list-targets and excludes over IPv6 ranges (nothing sent).
n=$(in_lab "$SYNSCAN" -n --list-targets 2001:db8:1::/120 --exclude 2001:db8:1::10-2001:db8:1::1f 2>/dev/null | wc -l)
check "IPv6 /120 minus a 16-address range lists 240 targets ($n)" [ "$n" = 240 ]

# Host names: a name with only an AAAA record scans its IPv6 address; a
# name with both scans IPv4, or IPv6 with -6. `ip netns exec` shows the lab's
# scanner /etc/netns/NS/hosts as /etc/hosts (no DNS: the lab has no route out).
hosts_dir=/etc/netns/$LABNAME-scan
mkdir -p "$hosts_dir"
printf '%s\n' '127.0.0.1 localhost' '2001:db8::2 v6only.lab' \
	'198.18.0.2 dual.lab' '2001:db8::2 dual.lab' >"$hosts_dir/hosts"
in_lab "$SYNSCAN" -q -p 22 --seed 3 v6only.lab -oJ "$TMP/h1.json" >/dev/null
check "a name with only AAAA scans its IPv6 address" grep -q '"ip":"2001:db8::2","port":22,"proto":"tcp","state":"open"' "$TMP/h1.json"
in_lab "$SYNSCAN" -q -p 22 --seed 3 dual.lab -oJ "$TMP/h2.json" >/dev/null
check "a name with A and AAAA scans IPv4 by default" grep -q '"ip":"198.18.0.2","port":22,"proto":"tcp","state":"open"' "$TMP/h2.json"
in_lab "$SYNSCAN" -q -6 -p 22 --seed 3 dual.lab -oJ "$TMP/h3.json" >/dev/null
check "-6 scans the name's IPv6 address" grep -q '"ip":"2001:db8::2","port":22,"proto":"tcp","state":"open"' "$TMP/h3.json"
rm -rf "$hosts_dir"

# nmap -6 -sS agrees on every port (when nmap is installed).
if command -v nmap >/dev/null; then
	in_lab nmap -6 -sS -T4 -n -Pn -p- 2001:db8::2 -oX "$TMP/n.xml" >/dev/null
	nmap_states "$TMP/n.xml" >"$TMP/n.txt"
	cut -d' ' -f1,2 "$TMP/a.txt" >"$TMP/a2.txt"
	same_lines "nmap -6 -sS and synscan agree on all 65535 ports of 2001:db8::2" "$TMP/n.txt" "$TMP/a2.txt"
else
	echo "# nmap is not installed: the nmap -6 comparison is skipped"
fi
"$LAB" --name "$LABNAME" down >/dev/null 2>&1

# --- Behind a router: 2001:db8:2::2 one hop away, and 2001:db8:1::/120 routed to it.
lab_up ipv6r --router
in_lab "$SYNSCAN" -q -p- --rate 100000 --seed 12 2001:db8:2::2 -oJ "$TMP/r.json" >/dev/null
check "routed IPv6 scan exits 0" [ $? -eq 0 ]
states6 "$TMP/r.json" 2001:db8:2::2 "" "$TMP/r.txt"
same_lines "behind the router: all 65535 ports of 2001:db8:2::2 exact" "$TMP/r.txt.expect" "$TMP/r.txt"
check "behind the router: hop limit 63 on answers" grep -q '"ip":"2001:db8:2::2","port":22,"proto":"tcp","state":"open","reason":"syn-ack","ttl":63' "$TMP/r.json"
in_lab "$SYNSCAN" -q -p 22,80,135,3306 --seed 13 2001:db8:1::/120 -oJ "$TMP/g.json" >/dev/null
check "routed /120 scan exits 0" [ $? -eq 0 ]
# Every address of the range is the same host to the ruleset: 256 copies of
# the expectation for these ports.
ndjson_states "$TMP/g.json" 2001:db8:1::80 >"$TMP/g1.txt"
expected_states -6 22,80,135,3306 >"$TMP/g.expect"
same_lines "routed /120: 2001:db8:1::80 as expected" "$TMP/g.expect" "$TMP/g1.txt"
want=$((256 * $(grep -c ' open ' "$TMP/g.expect")))
n=$(grep -c '"state":"open"' "$TMP/g.json")
check "routed /120: every address answers ($n open, $want expected)" [ "$n" = "$want" ]
"$LAB" --name "$LABNAME" loss 10 >/dev/null
in_lab "$SYNSCAN" -q -p- --rate 100000 2001:db8:2::2 -oJ "$TMP/l.json" >/dev/null
ndjson_states "$TMP/l.json" 2001:db8:2::2 | cut -d' ' -f1,2 >"$TMP/l.txt"
cut -d' ' -f1,2 "$TMP/r.txt.expect" >"$TMP/l.expect"
same_lines "behind the router with 10 % SYN loss: every IPv6 port's state exact" "$TMP/l.expect" "$TMP/l.txt"
finish
# SPDX-License-Identifier: BSD-2-Clause
