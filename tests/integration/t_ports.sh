#!/bin/bash
# t_ports.sh: port selection end to end: service names, --top-ports from nmap-services, --exclude-ports.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

lab_up ports
ports_of() { labcheck ndjson-ports "$1"; }

in_lab "$SYNSCAN" -q --wait 0.3 -p ssh,telnet,http 198.18.0.2 -oJ "$TMP/n.json" >/dev/null
check "-p ssh,telnet,http scans 22,23,80" [ "$(ports_of "$TMP/n.json")" = "22,23,80" ]
check "... and finds ssh open" grep -q '"port":22,"proto":"tcp","state":"open"' "$TMP/n.json"

in_lab "$SYNSCAN" -q --wait 0.3 --top-ports 10 198.18.0.2 -oJ "$TMP/t.json" >/dev/null
want=$(awk '$2 ~ /\/tcp$/ && $1 !~ /^#/ {split($2, a, "/"); print $3, a[1]}' /usr/share/nmap/nmap-services |
	sort -k1,1gr -k2,2n | head -10 | awk '{print $2}' | sort -n | paste -sd,)
check "--top-ports 10 = the 10 most frequent TCP ports of nmap-services ($want)" [ "$(ports_of "$TMP/t.json")" = "$want" ]

in_lab "$SYNSCAN" -q --wait 0.3 -p 20-25 --exclude-ports 22,24 198.18.0.2 -oJ "$TMP/e.json" >/dev/null
check "--exclude-ports removes ports" [ "$(ports_of "$TMP/e.json")" = "20,21,23,25" ]

in_lab "$SYNSCAN" --top-ports 5 --servicedb /nonexistent/nmap-services 198.18.0.2 >/dev/null 2>"$TMP/db.err"
rc=$?
check "missing service table: exit 1, one line (rc=$rc): $(cat "$TMP/db.err")" \
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$TMP/db.err")" -eq 1 ]
in_lab "$SYNSCAN" -p 22 --exclude-ports 22 198.18.0.2 >/dev/null 2>"$TMP/none.err"
check "nothing left to scan: exit 2" [ $? -eq 2 ]
finish
