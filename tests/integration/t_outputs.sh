#!/bin/bash
# t_outputs.sh: normal, NDJSON and masscan list (-oL) outputs, --open, --reason, output files versus stdout.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

lab_up outputs
P=21-23,135,9001
in_lab "$SYNSCAN" -q -p $P --wait 0.3 --seed 7 198.18.0.2 -oN "$TMP/n.txt" -oJ "$TMP/j.json" >"$TMP/stdout.txt"
check "-oN FILE and stdout carry the same report (but the start line)" \
	cmp -s <(tail -n +2 "$TMP/n.txt" | grep -v '^synscan done') <(tail -n +2 "$TMP/stdout.txt" | grep -v '^synscan done')
check "start line reports the seed" grep -q '^Starting synscan .* (seed 7)$' "$TMP/n.txt"
check "NDJSON: one valid object per port, 5 ports" \
	labcheck ndjson-check "$TMP/j.json" --count 5 --keys ip,port,proto,state,reason,ttl
check "NDJSON: exact line for the open port" \
	grep -qx '{"ip":"198.18.0.2","port":22,"proto":"tcp","state":"open","reason":"syn-ack","ttl":64}' <(ndjson_ports "$TMP/j.json")
check "normal: the open port" grep -qE '^22/tcp +open +ssh$' "$TMP/n.txt"
check "normal: a closed port" grep -qE '^23/tcp +closed +telnet$' "$TMP/n.txt"
check "normal: a filtered port" grep -qE '^135/tcp +filtered +msrpc$' "$TMP/n.txt"

in_lab "$SYNSCAN" -q -p $P --wait 0.3 --reason 198.18.0.2 >"$TMP/r.txt"
check "--reason: header has REASON" grep -qE '^PORT +STATE +SERVICE +REASON$' "$TMP/r.txt"
check "--reason: syn-ack ttl 64" grep -qE '^22/tcp +open +ssh +syn-ack ttl 64$' "$TMP/r.txt"
check "--reason: admin-prohibited" grep -qE '^9001/tcp +filtered +\S+ +admin-prohibited ttl 64$' "$TMP/r.txt"
check "--reason: no-response" grep -qE '^135/tcp +filtered +msrpc +no-response$' "$TMP/r.txt"

in_lab "$SYNSCAN" -q -p $P --wait 0.3 --open 198.18.0.2 -oJ "$TMP/o.json" >"$TMP/o.txt"
check "--open: only the open port listed" [ "$(grep -c '/tcp' "$TMP/o.txt")" -eq 1 ]
if [ "$(ndjson_ports "$TMP/o.json" | wc -l)" -eq 1 ] &&
	[ "$(grep -c '"type":"port"' "$TMP/o.json")" -eq "$(grep -c '"state":"open"' "$TMP/o.json")" ]; then
	pass "--open: NDJSON holds only open ports"
else
	fail "--open: NDJSON holds only open ports"
fi

in_lab "$SYNSCAN" -q -p $P --wait 0.3 198.18.0.2 -oJ - >"$TMP/js.txt"
check "-oJ -: stdout is pure NDJSON" labcheck ndjson-check "$TMP/js.txt"
if [ "$(wc -l <"$TMP/js.txt")" -eq 8 ] && [ "$(grep -c '"type":"port"' "$TMP/js.txt")" -eq 5 ]; then
	pass "-oJ -: begin, five ports, host, end"
else
	fail "-oJ -: begin, five ports, host, end"
fi

# -oL: masscan's list format, open ports only, for nmap -iL.
in_lab "$SYNSCAN" -q -p 1-1000 --wait 0.3 198.18.0.2 198.19.0.1-2 -oL "$TMP/l.lst" -oJ "$TMP/l.json" >/dev/null
if [ "$(head -1 "$TMP/l.lst")" = "#masscan" ] && [ "$(tail -1 "$TMP/l.lst")" = "# end" ] &&
	! sed '1d;$d' "$TMP/l.lst" | grep -vqE '^open tcp [0-9]+ [0-9.]+ [0-9]{10}$'; then
	pass "-oL: #masscan first, # end last, 'open tcp PORT IP TIME' between"
else
	fail "-oL: #masscan first, # end last, 'open tcp PORT IP TIME' between"
fi
check "-oL: the open ports of the NDJSON output, each once" \
	cmp -s <(sed '1d;$d' "$TMP/l.lst" | awk '{print $4, $3}' | sort) \
	<(jq -r 'select(.type == "port" and .state == "open") | "\(.ip) \(.port)"' "$TMP/l.json" | sort)
awk '/^open/ {print $4}' "$TMP/l.lst" | sort -u >"$TMP/l.hosts"
if command -v nmap >/dev/null; then
	# -sL -n: nmap lists the targets it read and sends nothing
	in_lab nmap -sL -n -iL "$TMP/l.hosts" -oG "$TMP/l.gnmap" >/dev/null 2>&1
	check "-oL: its addresses feed nmap -iL (nmap -sL reads the 3 hosts)" \
		[ "$(grep -c '^Host: ' "$TMP/l.gnmap")" -eq 3 ]
fi

# A collapsed state lists reasons and counts in the Not shown line.
in_lab "$SYNSCAN" -q -p 1-200,30000-30109 --wait 0.3 198.18.0.2 >"$TMP/c.txt"
check "Not shown line with counts per reason" \
	grep -qx 'Not shown: 193 closed tcp ports (reset), 115 filtered tcp ports (5 no-response, 10 host-unreach, 100 admin-prohibited)' "$TMP/c.txt"
finish
# SPDX-License-Identifier: BSD-2-Clause
