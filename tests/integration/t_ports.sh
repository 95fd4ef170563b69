#!/bin/bash
# t_ports.sh: port selection end to end: service names (the output table's, given back), nmap's default set and -F compared with nmap's, -p merged, T:/U:, --top-ports from nmap-services, --exclude-ports.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

lab_up ports
ports_of() { labcheck ndjson-ports "$1"; }

# A name is every TCP port the output table (nmap-services: the first TCP
# name of each port) calls so: http is 80 and 8008.
named() {
	awk -v want="$1" '$1 !~ /^#/ && $2 ~ /\/tcp$/ { split($2, a, "/"); if (!(a[1] in n)) n[a[1]] = $1 }
		END { for (p in n) if (index("," want ",", "," n[p] ",")) print p }' /usr/share/nmap/nmap-services |
		sort -n | paste -sd,
}
want=$(named ssh,telnet,http)
in_lab "$SYNSCAN" -q --wait 0.3 -p ssh,telnet,http 198.18.0.2 -oJ "$TMP/n.json" >/dev/null
check "-p ssh,telnet,http scans every port so named ($want)" [ "$(ports_of "$TMP/n.json")" = "$want" ]
check "... which is 22,23,80,8008 with nmap's table" [ "$want" = 22,23,80,8008 ]
check "... and finds ssh open" grep -q '"port":22,"proto":"tcp","state":"open"' "$TMP/n.json"

# A name synscan prints can be given back: scan 8443, take its printed
# name, scan by that name.
in_lab "$SYNSCAN" -q --wait 0.3 -p 8443 198.18.0.2 -oG "$TMP/g.txt" >/dev/null
name=$(grep -o '8443/[a-z]*/tcp//[^/]*' "$TMP/g.txt" | awk -F/ '{print $5}')
in_lab "$SYNSCAN" -q --wait 0.3 -p "T:$name" 198.18.0.2 -oJ "$TMP/back.json" >/dev/null
if [ "$(ports_of "$TMP/back.json")" = "$(named "$name")" ] && [ -n "$name" ]; then
	pass "a printed name ($name) given back to -p T:NAME scans its port"
else
	fail "a printed name ($name) given back to -p T:NAME scans its port"
fi

# Without -p: nmap's own default set, the top 1000 (as nmap -sS scans it);
# -F: nmap's top 100. Compared with nmap's XML scaninfo of the same lab.
if command -v nmap >/dev/null; then
	for f in "" -F; do
		# shellcheck disable=SC2086 # $f: no word or one
		in_lab "$SYNSCAN" -q --wait 0.3 $f 198.18.0.2 -oX "$TMP/d$f.xml" >/dev/null
		# shellcheck disable=SC2086
		in_lab nmap -sS -n -Pn -T4 $f 198.18.0.2 -oX "$TMP/n$f.xml" >/dev/null
		syn=$(grep -o 'numservices="[0-9]*" services="[^"]*"' "$TMP/d$f.xml")
		nm=$(grep -o 'numservices="[0-9]*" services="[^"]*"' "$TMP/n$f.xml")
		if [ -n "$nm" ] && [ "$syn" = "$nm" ]; then
			pass "synscan ${f:-without -p} scans nmap's set (${nm:0:40}...)"
		else
			fail "synscan ${f:-without -p} scans nmap's set (${nm:0:40}...)"
		fi
	done
else
	echo "# nmap is not installed: the default set is not compared with nmap's"
fi

# -p again adds to the list; T: is TCP; U: is refused, also by --list-targets.
in_lab "$SYNSCAN" -q --wait 0.3 -p 22 -p T:23,80 198.18.0.2 -oJ "$TMP/m.json" >/dev/null
check "-p 22 -p T:23,80 scans 22,23,80" [ "$(ports_of "$TMP/m.json")" = 22,23,80 ]
for list in "" --list-targets; do
	in_lab "$SYNSCAN" $list -p T:22,U:53 198.18.0.2 >/dev/null 2>"$TMP/u.err"
	rc=$?
	if [ "$rc" -eq 2 ] &&
		grep -qx "synscan: UDP scans are not supported: synscan sends TCP SYN probes only ('U:53')" "$TMP/u.err"; then
		pass "-p T:22,U:53 ${list:+with $list }: exit 2, one line: $(cat "$TMP/u.err")"
	else
		fail "-p T:22,U:53 ${list:+with $list }: exit 2, one line: $(cat "$TMP/u.err")"
	fi
done

in_lab "$SYNSCAN" -q --wait 0.3 --top-ports 10 198.18.0.2 -oJ "$TMP/t.json" >/dev/null
want=$(awk '$2 ~ /\/tcp$/ && $1 !~ /^#/ {split($2, a, "/"); print $3, a[1]}' /usr/share/nmap/nmap-services |
	sort -k1,1gr -k2,2n | head -10 | awk '{print $2}' | sort -n | paste -sd,)
check "--top-ports 10 = the 10 most frequent TCP ports of nmap-services ($want)" [ "$(ports_of "$TMP/t.json")" = "$want" ]

in_lab "$SYNSCAN" -q --wait 0.3 -p 20-25 --exclude-ports 22,24 198.18.0.2 -oJ "$TMP/e.json" >/dev/null
check "--exclude-ports removes ports" [ "$(ports_of "$TMP/e.json")" = "20,21,23,25" ]

in_lab "$SYNSCAN" --top-ports 5 --servicedb /nonexistent/nmap-services 198.18.0.2 >/dev/null 2>"$TMP/db.err"
rc=$?
if [ "$rc" -eq 1 ] && [ "$(wc -l <"$TMP/db.err")" -eq 1 ]; then
	pass "missing service table: exit 1, one line (rc=$rc): $(cat "$TMP/db.err")"
else
	fail "missing service table: exit 1, one line (rc=$rc): $(cat "$TMP/db.err")"
fi
in_lab "$SYNSCAN" -p 22 --exclude-ports 22 198.18.0.2 >/dev/null 2>"$TMP/none.err"
check "nothing left to scan: exit 2" [ $? -eq 2 ]
finish
# SPDX-License-Identifier: BSD-2-Clause
