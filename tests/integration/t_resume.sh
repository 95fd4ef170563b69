#!/bin/bash
# t_resume.sh: SIGINT writes a resume file; --resume continues exactly: the union equals an uninterrupted scan and no probe is sent twice.
# tags: lab tsan
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

# Without retries every probe goes out exactly once, whatever the interruption.
# Discovery asks by ICMP echo only (-PE): the SYNs counted are the port probes
# (the default -PS443 would add one SYN to port 443 of each target).
ARGS=(-q -PE -p 1-1000 --rate 4000 --wait 0.5 --seed 99 --max-retries 0 198.19.0.0/29)
lab_up resume
syn_counter_on "$LABNAME-tgt"

cd "$TMP" || exit 1
ip netns exec "$LABNAME-scan" "$SYNSCAN" "${ARGS[@]}" --pause-file "$TMP/p.resume" \
	-oJ "$TMP/part.json" -oX "$TMP/part.xml" -oN "$TMP/part.nmap" -oG "$TMP/part.gnmap" --csv "$TMP/part.csv" \
	-oL "$TMP/part.lst" \
	>/dev/null 2>"$TMP/first.err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
check "interrupted scan exits 4 (rc=$rc)" [ "$rc" -eq 4 ]
check "it says how to continue" grep -q "continue with: synscan --resume $TMP/p.resume" "$TMP/first.err"
check "resume file written" [ -s "$TMP/p.resume" ]
sent1=$(syn_counts "$LABNAME-tgt" | awk '{s+=$3} END{print s+0}')
echo "# first run sent $sent1 of 8000 probes before SIGINT"
if [ "$sent1" -gt 0 ] && [ "$sent1" -lt 8000 ]; then
	pass "the first run stopped part-way ($sent1 of 8000)"
else
	fail "the first run stopped part-way ($sent1 of 8000)"
fi
lines1=$(grep -c '"type":"port"' "$TMP/part.json")

in_lab "$SYNSCAN" --resume "$TMP/p.resume" >/dev/null 2>"$TMP/second.err"
check "resumed scan exits 0" [ $? -eq 0 ]
syn_counts "$LABNAME-tgt" >"$TMP/syns.txt"
check "every probe sent exactly once over both runs" \
	awk 'END{exit !(NR == 8000 && bad == 0)} $3 != 1 {bad++}' "$TMP/syns.txt"
check "the resumed run appended to the same output" [ "$(grep -c '"type":"port"' "$TMP/part.json")" -gt "$lines1" ]

# The uninterrupted scan, in a fresh lab, for comparison.
"$LAB" --name "$LABNAME" down >/dev/null 2>&1
lab_up resume2
in_lab "$SYNSCAN" "${ARGS[@]}" -oJ "$TMP/full.json" -oX "$TMP/full.xml" >/dev/null
ndjson_ports "$TMP/full.json" | sort >"$TMP/full.txt"
ndjson_ports "$TMP/part.json" | sort >"$TMP/union.txt"
same_lines "interrupted + resumed results equal the uninterrupted scan" "$TMP/full.txt" "$TMP/union.txt"

# The resumed NDJSON and CSV: two begin ... end runs of one scan id, the
# first ending interrupted, each port once.
check "resumed -oJ: valid records, begin..end twice, the second resumed, 8000 ports once" \
	/usr/bin/python3 "$TOP/tests/integration/records.py" ndjson "$TMP/part.json" --status 'done' --ports 8000
check "resumed -oJ: the first run's end record says interrupted, with the probes not sent" \
	grep -qE '^\{"type":"end",.*"status":"interrupted",.*"probes":8000,"not_scanned":[1-9][0-9]*,' "$TMP/part.json"
check "resumed --csv: the same records, one header" \
	/usr/bin/python3 "$TOP/tests/integration/records.py" csv "$TMP/part.csv" --status 'done' --ports 8000 --same-as "$TMP/part.json"

if [ "$(grep -c '^#masscan$' "$TMP/part.lst")" -eq 1 ] && [ "$(grep -c '^# end$' "$TMP/part.lst")" -eq 1 ] &&
	[ "$(tail -1 "$TMP/part.lst")" = "# end" ] &&
	cmp -s <(awk '/^open/ {print $4, $3}' "$TMP/part.lst" | sort) \
		<(jq -r 'select(.type == "port" and .state == "open") | "\(.ip) \(.port)"' "$TMP/full.json" | sort); then
	pass "resumed -oL: one #masscan, one # end, the uninterrupted scan's open ports"
else
	fail "resumed -oL: one #masscan, one # end, the uninterrupted scan's open ports"
fi

# The resumed -oX is one document covering both runs: nmap.dtd, ndiff and
# the Python readers see the uninterrupted scan's hosts and ports.
DTD=/usr/share/nmap/nmap.dtd
if [ "$(grep -c '<nmaprun ' "$TMP/part.xml")" -eq 1 ] && [ "$(grep -c '<runstats>' "$TMP/part.xml")" -eq 1 ]; then
	pass "resumed -oX: one <nmaprun> and one <runstats>"
else
	fail "resumed -oX: one <nmaprun> and one <runstats>"
fi
if [ -r "$DTD" ]; then
	check "resumed -oX: valid against nmap.dtd" xmllint --noout --dtdvalid "$DTD" "$TMP/part.xml"
else
	echo "# $DTD missing (nmap not installed): DTD check skipped"
fi
if grep -q 'not scanned' "$TMP/part.xml"; then
	fail "resumed -oX: no host still says ports were not scanned"
	grep -n -B3 'not scanned' "$TMP/part.xml" | head -12 | sed 's/^/# /'
else
	pass "resumed -oX: no host still says ports were not scanned"
fi
check "resumed -oX: runstats says done, 8 hosts up" \
	grep -q 'summary="synscan done at .*exit="success"/><hosts up="8" down="0" total="8"/>' "$TMP/part.xml"
if command -v ndiff >/dev/null; then
	ndiff "$TMP/full.xml" "$TMP/part.xml" >"$TMP/ndiff.txt"
	grep -E '^[-+]' "$TMP/ndiff.txt" | grep -vE '^[-+]Nmap [^ ]+ scan initiated ' >"$TMP/ndiff.bad"
	check "resumed -oX: ndiff finds no host or port differing from the uninterrupted scan" \
		[ ! -s "$TMP/ndiff.bad" ]
else
	echo "# ndiff not installed: skipped"
fi
/usr/bin/python3 "$TOP/tests/integration/xmlclients.py" same-ports "$TMP/full.xml" "$TMP/part.xml" \
	>"$TMP/clients.txt" 2>&1
rc=$?
cat "$TMP/clients.txt"
if [ $rc -ne 77 ]; then
	check "resumed -oX: python-libnmap and python-nmap read the uninterrupted scan's ports" [ $rc -eq 0 ]
fi
if [ "$(grep -c '^Starting synscan' "$TMP/part.nmap")" -eq 1 ] &&
	[ "$(grep -c '^Resuming synscan .* continue the interrupted scan above$' "$TMP/part.nmap")" -eq 1 ] &&
	[ "$(grep -c '^synscan interrupted:' "$TMP/part.nmap")" -eq 1 ] &&
	grep -q '^synscan done: 8 IP addresses' <(tail -1 "$TMP/part.nmap"); then
	pass "resumed -oN: one header, the continuation marked, one interrupted and one done trailer"
else
	fail "resumed -oN: one header, the continuation marked, one interrupted and one done trailer"
fi
check "resumed -oN: the first part said how many ports it did not scan" \
	grep -qE '^[1-9][0-9]* ports? not scanned \(interrupted\)$' "$TMP/part.nmap"
if [ "$(grep -c '^# synscan .* scan initiated ' "$TMP/part.gnmap")" -eq 1 ] &&
	[ "$(grep -c '^# synscan .* scan resumed ' "$TMP/part.gnmap")" -eq 1 ] &&
	grep -q '^# synscan done at ' <(tail -1 "$TMP/part.gnmap"); then
	pass "resumed -oG: 'scan initiated', then 'scan resumed', ending with the done line"
else
	fail "resumed -oG: 'scan initiated', then 'scan resumed', ending with the done line"
fi

# A second SIGINT ends the wait at once; outputs are still complete. The
# lab drops these ports of 198.19.0.9: no round trip is measured, so the
# wait after the first SIGINT would take all of --wait.
ip netns exec "$LABNAME-scan" "$SYNSCAN" -q -p 135-139,445,20000-20099 --rate 100 --wait 60 198.19.0.9 \
	--pause-file "$TMP/q.resume" -oX "$TMP/q.xml" >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -INT $pid
sleep 0.3
t0=$(date +%s.%N)
kill -INT $pid
wait $pid
rc=$?
t=$(awk "BEGIN{printf \"%.2f\", $(date +%s.%N) - $t0}")
if [ "$rc" -eq 4 ] && awk "BEGIN{exit !($t < 1.0)}"; then
	pass "second SIGINT: exit 4 within 1 s of it (rc=$rc, ${t} s)"
else
	fail "second SIGINT: exit 4 within 1 s of it (rc=$rc, ${t} s)"
fi
check "second SIGINT: XML output complete and valid" \
	labcheck xml-finished "$TMP/q.xml"

# --expect, interrupted and resumed: NDJSON and CSV hold each port once,
# its deviation in its record, whichever part found it.
printf '* * shut\n* 22 open\n' >"$TMP/pol.txt"
ip netns exec "$LABNAME-scan" "$SYNSCAN" "${ARGS[@]}" --expect "$TMP/pol.txt" \
	--pause-file "$TMP/e.resume" -oJ "$TMP/e.json" --csv "$TMP/e.csv" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
in_lab "$SYNSCAN" --resume "$TMP/e.resume" >/dev/null 2>&1
rc2=$?
in_lab "$SYNSCAN" "${ARGS[@]}" --expect "$TMP/pol.txt" -oJ "$TMP/fe.json" >/dev/null 2>&1
ndev=$(grep -c '"deviation"' "$TMP/fe.json")
if [ "$rc" -eq 4 ] && [ "$rc2" -eq 3 ] && [ "$ndev" -gt 0 ]; then
	pass "--expect interrupted (exit $rc, 4) and resumed (exit $rc2, 3: 80 and 443 are open)"
else
	fail "--expect interrupted (exit $rc, 4) and resumed (exit $rc2, 3: 80 and 443 are open)"
fi
check "--expect resumed: NDJSON records, 8000 ports each once, $ndev with a deviation (as uninterrupted)" \
	/usr/bin/python3 "$TOP/tests/integration/records.py" ndjson "$TMP/e.json" --ports 8000 --deviations "$ndev"
check "--expect resumed: the deviating ports of the uninterrupted scan" \
	cmp -s <(grep '"deviation"' "$TMP/e.json" | jq -r '"\(.ip) \(.port) \(.deviation)"' | sort) \
	<(grep '"deviation"' "$TMP/fe.json" | jq -r '"\(.ip) \(.port) \(.deviation)"' | sort)
check "--expect resumed: CSV the same" \
	/usr/bin/python3 "$TOP/tests/integration/records.py" csv "$TMP/e.csv" --ports 8000 --deviations "$ndev" \
	--same-as "$TMP/e.json"

# With loss and retries: interrupted in a retry pass (or wherever the signal
# lands), the union still equals the lab's truth for every port.
"$LAB" --name "$LABNAME" down >/dev/null 2>&1
lab_up resume3
ip netns exec "$LABNAME-tgt" nft -f - <<'NFT'
table inet loss {
	chain pre {
		type filter hook prerouting priority -400; policy accept;
		tcp flags & (syn | ack) == syn numgen random mod 100 < 30 drop
	}
}
NFT
LARGS=(-q -p 1-1000 --rate 4000 --wait 0.5 --seed 5 --max-retries 6 198.19.0.0/30)
ip netns exec "$LABNAME-scan" "$SYNSCAN" "${LARGS[@]}" --pause-file "$TMP/l.resume" \
	-oJ "$TMP/lossy.json" >/dev/null 2>"$TMP/l1.err" &
pid=$!
sleep 1.4
kill -INT $pid
wait $pid
check "lossy scan interrupted: exit 4" [ $? -eq 4 ]
check "lossy scan interrupted: resume file with probe states" grep -q '^state ' "$TMP/l.resume"
echo "# interrupted at: $(grep -E '^(pass|next) ' "$TMP/l.resume" | tr '\n' ' ')"
in_lab "$SYNSCAN" --resume "$TMP/l.resume" >/dev/null 2>"$TMP/l2.err"
check "lossy scan resumed: exit 0" [ $? -eq 0 ]
for h in 198.19.0.0 198.19.0.1 198.19.0.2 198.19.0.3; do ndjson_states "$TMP/lossy.json" $h; done |
	cut -d' ' -f1,2 | sort | uniq -c | awk '{print $2, $3, $1}' | sort -n >"$TMP/lossy.got"
expected_states 1-1000 | cut -d' ' -f1,2 | awk '{print $1, $2, 4}' | sort -n >"$TMP/lossy.want"
same_lines "lossy interrupted + resumed: every port of the 4 hosts as the lab says, each once" \
	"$TMP/lossy.want" "$TMP/lossy.got"

# The resumed run's -oX merges only into its own scan's document: another
# scan's (here the "(scan ID)" of its comment changed) is left as it was,
# and the resumed run's document goes beside it, named in one line.
ip netns exec "$LABNAME-scan" "$SYNSCAN" -q -p 1-1000 --rate 4000 --seed 6 198.19.0.0/29 \
	--pause-file "$TMP/f.resume" -oX "$TMP/f.xml" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
sed -i -E 's/\(scan [0-9a-f]{16}\)/(scan 0123456789abcdef)/' "$TMP/f.xml"
cp "$TMP/f.xml" "$TMP/f.before"
in_lab "$SYNSCAN" --resume "$TMP/f.resume" >/dev/null 2>"$TMP/f.err"
check "another scan's -oX: exit 1" [ $? -eq 1 ]
check "... one line naming the file kept and the resumed run's" grep -qx \
	"synscan: output '$TMP/f.xml' (-oX): cannot merge it with the interrupted run's document (not this scan's XML; left as it was); this run's is in $TMP/f.xml.resumed.xml" \
	"$TMP/f.err" || sed 's/^/# /' "$TMP/f.err"
check "... the other scan's document left as it was" cmp -s "$TMP/f.xml" "$TMP/f.before"
check "... the resumed run's document beside it, valid" labcheck xml-finished "$TMP/f.xml.resumed.xml"

# A damaged resume file is a usage error with one line.
printf 'version 1\nseed x\n' >"$TMP/bad.resume"
in_lab "$SYNSCAN" --resume "$TMP/bad.resume" >/dev/null 2>"$TMP/bad.err"
if [ $? -eq 2 ] && [ "$(wc -l <"$TMP/bad.err")" -eq 1 ]; then
	pass "bad resume file: exit 2, one line"
else
	fail "bad resume file: exit 2, one line"
fi
in_lab "$SYNSCAN" --resume "$TMP/p.resume" -p 22 >/dev/null 2>"$TMP/extra.err"
check "--resume with other arguments: exit 2" [ $? -eq 2 ]
finish
# SPDX-License-Identifier: BSD-2-Clause
