#!/bin/bash
# t_formats.sh: every output format against golden files, nmap.dtd, ndiff versus nmap, python-libnmap, and complete files after SIGINT or a failure.
# tags: lab
# GOLDEN_UPDATE=1 rewrites tests/golden/ from this run (check the diff by eye before committing).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

GOLDEN=$TOP/tests/golden
DTD=/usr/share/nmap/nmap.dtd
PY=/usr/bin/python3 # Debian's python: python3-libnmap lives there
# Every state and reason of the lab: closed (reset), open, filtered by silence
# and by each ICMP code; 193 closed ports are collapsed, 21 listed.
P=1-200,9000,9001,30000-30005,30100,30110,30120,30130,30140,30150

for tool in xmllint ndiff nmap; do
	command -v $tool >/dev/null || skip_all "$tool is not installed (scripts/deps installs it)"
done

# norm FILE: the file with what varies between runs replaced by fixed words.
norm() {
	sed -E -e "s#$SYNSCAN#synscan#g" \
		-e 's/[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}/DATE/g' \
		-e 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC/DATE/g' \
		-e 's/(start|starttime|endtime|time)="[0-9]+"/\1="EPOCH"/g' \
		-e 's/elapsed="[0-9.]+"/elapsed="S"/g' \
		-e 's/\(scan [0-9a-f]{16}\)/(scan ID)/' \
		-e 's/scanned in [0-9.]+ seconds/scanned in S seconds/g' \
		-e 's/Host is up \([0-9.]+s latency\)/Host is up (Ls latency)/' \
		-e 's/<times srtt="[0-9]+" rttvar="[0-9]+" to="[0-9]+"/<times srtt="T" rttvar="T" to="T"/' "$1"
}

# golden NAME FILE: FILE (already normalised) equals tests/golden/NAME.txt.
golden() {
	if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
		mkdir -p "$GOLDEN"
		cp "$2" "$GOLDEN/$1.txt"
		pass "golden $1.txt rewritten"
	else
		same_lines "$1 output equals tests/golden/$1.txt" "$GOLDEN/$1.txt" "$2"
	fi
}

dtd_valid() { xmllint --noout --dtdvalid "$DTD" "$1" 2>"$TMP/xmllint.err" || { head -5 "$TMP/xmllint.err"; false; }; }

lab_up formats
cd "$TMP" || exit 1
# A known OUI on the target (the lab's veth MACs are random): VMware's in
# nmap-mac-prefixes; the scanner forgets the old MAC.
ip netns exec "$LABNAME-tgt" ip link set t0 address 00:50:56:0a:0b:0c
ip netns exec "$LABNAME-scan" ip neigh flush dev s0

# 1. One seeded scan, every format at once, compared with the golden files.
in_lab "$SYNSCAN" -q -p $P --seed 1 198.18.0.2 -oN n.txt -oG g.txt -oX x.xml -oJ j.json \
	--csv c.csv -oA all >/dev/null
check "scan with every output exits 0" [ $? -eq 0 ]
norm n.txt >n.norm
norm g.txt >g.norm
norm x.xml >x.norm
# records: the time, scan id (a hash of the arguments, which hold $TMP) and
# elapsed time vary; answers stream in arrival order
recnorm() {
	sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z/TIME/g' \
		-e 's/"scan_id":"[0-9a-f]{16}"/"scan_id":"ID"/; s/scan_id=[0-9a-f]{16}/scan_id=ID/' \
		-e 's/"elapsed":[0-9.]+/"elapsed":S/; s/elapsed=[0-9.]+/elapsed=S/' -e "s#$TMP/#TMP/#g" \
		-e 's/"rtt_us":[0-9]+/"rtt_us":T/; s/rtt_us=[0-9]+/rtt_us=T/' "$1"
}
recnorm j.json | LC_ALL=C sort >j.norm
{
	head -1 c.csv
	tail -n +2 c.csv | recnorm /dev/stdin | LC_ALL=C sort
} >c.norm
golden normal n.norm
golden grepable g.norm
golden xml x.norm
golden ndjson j.norm
golden csv c.norm
check "-oA: BASE.nmap is the normal output" cmp -s n.norm <(norm all.nmap)
check "-oA: BASE.gnmap is the grepable output" cmp -s g.norm <(norm all.gnmap)
check "-oA: BASE.xml is the XML output" cmp -s x.norm <(norm all.xml)
check "grepable: fields separated by tabs" \
	grep -qP '^Host: 198\.18\.0\.2 \(\)\tPorts: 22/open/tcp//ssh///, .*\tIgnored State: closed \(193\)$' g.txt
if [ "$(grep -c $'\r' c.csv)" -eq 0 ] && [ "$(wc -l <c.csv)" -eq 218 ]; then
	pass "CSV: LF line ends, no CR"
else
	fail "CSV: LF line ends, no CR"
fi
check "NDJSON records valid against tests/schema/records.schema.json, begin ... end" \
	$PY "$TOP/tests/integration/records.py" ndjson j.json --status 'done' --ports 214
check "CSV records: header, begin, 214 port rows (the NDJSON's), host, end" \
	$PY "$TOP/tests/integration/records.py" csv c.csv --status 'done' --ports 214 --same-as j.json

# 2. nmap.dtd: this scan, all 65535 ports, several hosts with --open.
check "XML valid against nmap.dtd" dtd_valid x.xml
in_lab "$SYNSCAN" -q -p- --rate 50000 198.18.0.2 -oX all-ports.xml >/dev/null
check "all ports: XML valid against nmap.dtd" dtd_valid all-ports.xml
if [ "$(grep -cE '<extraports state="closed" count="64340">|<extraports state="filtered" count="1168">' all-ports.xml)" -eq 2 ] \
	&& [ "$(grep -c '<port ' all-ports.xml)" -eq 27 ]; then
	pass "all ports: 64340 closed and 1168 filtered collapsed, 27 open listed"
else
	fail "all ports: 64340 closed and 1168 filtered collapsed, 27 open listed"
fi
in_lab "$SYNSCAN" -q -p 20-25,80,135,9001 --open 198.18.0.2 198.19.0.1-3 -oX open.xml \
	-oG open.gnmap >/dev/null
check "--open, 4 hosts: XML valid against nmap.dtd" dtd_valid open.xml
if [ "$(grep -c '<host ' open.xml)" -eq 4 ] && [ "$(grep -c '<port ' open.xml)" -eq 8 ] \
	&& [ "$(grep '<port ' open.xml | grep -vc '<state state="open"')" -eq 0 ]; then
	pass "--open: 4 hosts, only open ports listed"
else
	fail "--open: 4 hosts, only open ports listed"
fi
check "--open grepable: 2 ignored states, so no Ignored State field" \
	[ "$(grep -cP '\tPorts: 22/open/tcp//ssh///, 80/open/tcp//http///$' open.gnmap)" -eq 4 ]

# 3. ndiff against nmap on the same lab and ports (both name ports from
# nmap-services; both give the on-link target's MAC and vendor).
in_lab nmap -sS -Pn -n -p $P 198.18.0.2 -oX nmap.xml >/dev/null
check "nmap exits 0" [ $? -eq 0 ]
ndiff nmap.xml x.xml >ndiff.txt
grep -E '^[-+]' ndiff.txt | grep -vE '^[-+]Nmap [^ ]+ scan initiated ' >ndiff.bad
check "ndiff: no host or port differs from nmap (only the banner)" [ ! -s ndiff.bad ]
[ -s ndiff.bad ] && head -20 ndiff.txt

# 4. python-libnmap reads the XML as nmap's.
if $PY "$LABCHECK" has-libnmap 2>/dev/null; then
	check "python-libnmap: hosts, open ports, states and reasons" \
		$PY "$LABCHECK" libnmap x.xml nmap.xml open.xml
else
	echo "# python3-libnmap is not installed (scripts/deps): skipped"
fi

# 5. SIGINT after ~1 s of a 10 s scan: every file is complete.
timeout 60 ip netns exec "$LABNAME-scan" "$SYNSCAN" -q --rate 2000 -p 1-20000 198.18.0.2 \
	--pause-file "$TMP/i.resume" -oX i.xml -oJ i.json -oG i.gnmap --csv i.csv >/dev/null 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
check "interrupted scan exits 4" [ $? -eq 4 ]
check "interrupted: XML valid against nmap.dtd" dtd_valid i.xml
check "interrupted: XML summary and exit say so, with the probes not sent" \
	grep -q 'summary="synscan interrupted at .*; [1-9][0-9]* of 20000 probes not sent".*exit="error" errormsg="interrupted; [1-9][0-9]* of 20000 probes not sent"' i.xml
check "interrupted: every NDJSON line parses" labcheck ndjson-check i.json --min 1
check "interrupted: CSV header and well-formed rows" labcheck csv-check i.csv 198.18.0.2
check "interrupted: NDJSON valid, its end record says interrupted" \
	$PY "$TOP/tests/integration/records.py" ndjson i.json --status interrupted
check "interrupted: the end record counts the probes not sent" \
	grep -qE '^\{"type":"end",.*"status":"interrupted",.*"probes":20000,"not_scanned":[1-9][0-9]*,' i.json
if grep -qE '^<!-- synscan: [1-9][0-9]* ports? not scanned \(interrupted\) -->$' i.xml &&
	grep -qE '^# synscan: [1-9][0-9]* ports? of 198.18.0.2 not scanned \(interrupted\)$' i.gnmap &&
	grep -qE '^\{"type":"host",.*"ip":"198.18.0.2",.*"not_scanned":[1-9][0-9]*[,}]' i.json; then
	pass "interrupted: the host's ports not scanned in XML, grepable and its NDJSON host record"
else
	fail "interrupted: the host's ports not scanned in XML, grepable and its NDJSON host record"
fi
check "interrupted: CSV valid, its end row says interrupted, the NDJSON's ports" \
	$PY "$TOP/tests/integration/records.py" csv i.csv --status interrupted --same-as i.json

# 6. --expect: one record per port, its deviation a field of it.
printf '198.18.0.2 * closed|filtered\n198.18.0.2 22 open\n' >pol.txt
in_lab "$SYNSCAN" -q -p $P --seed 1 198.18.0.2 --expect pol.txt -oJ d.json --csv d.csv >/dev/null
check "--expect: exit 3 (80 is open)" [ $? -eq 3 ]
check "--expect: NDJSON valid, each port once, one deviation" \
	$PY "$TOP/tests/integration/records.py" ndjson d.json --ports 214 --deviations 1
check "--expect: the deviation is a field of port 80's record" \
	grep -qE '"ip":"198.18.0.2","port":80,"proto":"tcp","state":"open","reason":"syn-ack","ttl":64,"deviation":"unexpected-open","expected":"closed\|filtered","policy_line":1\}$' d.json
check "--expect: CSV the same, one row per port" \
	$PY "$TOP/tests/integration/records.py" csv d.csv --ports 214 --deviations 1 --same-as d.json
check "interrupted: grepable ends with its done line" \
	grep -qE '^# synscan done at .* scanned in [0-9.]+ seconds$' <(tail -1 i.gnmap)

# 7. A scan that fails before its first probe (no route to the target):
# one line on stderr, no report on stdout, no output file left behind; a
# resumed run's file (opened to append) would keep its first part.
: >old.csv
in_lab "$SYNSCAN" -p 22 198.18.200.1 -oX e.xml -oG e.gnmap -oJ e.json --csv old.csv \
	>e.out 2>e.err
check "failing scan exits 1" [ $? -eq 1 ]
if [ "$(wc -l <e.err)" -eq 1 ] && grep -q '^synscan: no route to 198.18.200.1' e.err; then
	pass "failing scan: one line on stderr: $(head -1 e.err)"
else
	fail "failing scan: one line on stderr: $(head -1 e.err)"
fi
check "failing scan: nothing on stdout (no banner, no report)" [ ! -s e.out ]
if [ ! -e e.xml ] && [ ! -e e.gnmap ] && [ ! -e e.json ] && [ ! -e old.csv ]; then
	pass "failing scan: no output file created, the truncated one removed"
else
	fail "failing scan: no output file created, the truncated one removed"
fi
finish
# SPDX-License-Identifier: BSD-2-Clause
