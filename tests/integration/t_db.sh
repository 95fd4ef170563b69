#!/bin/bash
# t_db.sh: --db records scans in SQLite; `synscan diff` shows exactly a lab change; interrupted and concurrent scans; merged shards equal the unsharded scan.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed (scripts/deps installs it)"
ARGS=(-q -p 1-1000 --rate 20000 --wait 0.5 198.18.0.2)
DB=$TMP/hist.db
q() { sqlite3 "$DB" "$1"; }
lab_up db

# Two scans of the unchanged lab: no difference.
in_lab "$SYNSCAN" "${ARGS[@]}" --db "$DB" -oX "$TMP/s1.xml" >/dev/null
check "scan 1 exits 0" [ $? -eq 0 ]
in_lab "$SYNSCAN" "${ARGS[@]}" --db "$DB" -oX "$TMP/s2.xml" >/dev/null
check "scan 2 exits 0" [ $? -eq 0 ]
"$SYNSCAN" diff --db "$DB" >"$TMP/same.txt" 2>&1
rc=$?
check "diff --db of two scans of the unchanged lab exits 0 (rc=$rc)" [ $rc -eq 0 ]
check "... and prints only its summary" \
	grep -qx "summary: scan 1 -> scan 2: 0 new hosts, 0 gone, 0 opened, 0 closed, 0 changed" \
	"$TMP/same.txt"
"$SYNSCAN" diff "$TMP/s1.xml" "$TMP/s2.xml" >/dev/null 2>&1
rc=$?
check "diff of their -oX files exits 0 (rc=$rc)" [ $rc -eq 0 ]

# What the database holds: every port as the lab defines it.
q "SELECT port || ' ' || state || ' ' || reason FROM ports WHERE scan_id = 1 ORDER BY port" \
	>"$TMP/db1.txt"
expected_states 1-1000 >"$TMP/expect.txt"
same_lines "scan 1's ports rows are the lab's 1000 expected states" "$TMP/expect.txt" "$TMP/db1.txt"
if [ "$(q "SELECT group_concat(status || complete || hosts_up, ' ') FROM scans")" = "done11 done11" ]; then
	pass "scans rows: done, complete, 1 host up"
else
	fail "scans rows: done, complete, 1 host up"
fi
if [ "$(q "SELECT open || ' ' || filtered || ' ' || closed FROM hosts WHERE scan_id = 2")" = "3 6 991" ]; then
	pass "hosts row counts: 3 open, 6 filtered, 991 closed"
else
	fail "hosts row counts: 3 open, 6 filtered, 991 closed"
fi

# Change the lab: 22 dropped (filtered), a listener on 24 (open).
ip netns exec "$LABNAME-tgt" nft insert rule inet lab input tcp dport 22 drop
ip netns exec "$LABNAME-tgt" python3 "$LABCHECK" listen 24 300 &
listener=$!
sleep 0.5
in_lab "$SYNSCAN" "${ARGS[@]}" --db "$DB" -oX "$TMP/s3.xml" >/dev/null
check "scan 3 (changed lab) exits 0" [ $? -eq 0 ]
# nmap's own XML of the changed lab agrees with synscan's.
if command -v nmap >/dev/null; then
	in_lab nmap -sS -T4 -n -Pn -p 1-1000 198.18.0.2 -oX "$TMP/nmap.xml" >/dev/null
	"$SYNSCAN" diff "$TMP/s3.xml" "$TMP/nmap.xml" >"$TMP/vs-nmap.txt" 2>&1
	rc=$?
	check "diff of synscan's and nmap's XML of the same lab exits 0 (rc=$rc)" [ $rc -eq 0 ]
fi
kill "$listener" 2>/dev/null
ip netns exec "$LABNAME-tgt" nft -f "$TOP/scripts/lab-ruleset.nft" # the lab as it was
printf '%s\n' "- 198.18.0.2 22/tcp filtered (was open)" "+ 198.18.0.2 24/tcp open (was closed)" \
	"summary: scan 2 -> scan 3: 0 new hosts, 0 gone, 1 opened, 1 closed, 0 changed" \
	>"$TMP/want.txt"
"$SYNSCAN" diff --db "$DB" >"$TMP/changed.txt" 2>&1
rc=$?
check "diff --db after the change exits 3 (rc=$rc)" [ $rc -eq 3 ]
same_lines "diff --db shows exactly 22 filtered and 24 open" "$TMP/want.txt" "$TMP/changed.txt"
"$SYNSCAN" diff "$TMP/s2.xml" "$TMP/s3.xml" >"$TMP/xchanged.txt" 2>&1
rc=$?
check "diff of the -oX files exits 3 (rc=$rc)" [ $rc -eq 3 ]
same_lines "the XML diff lists the same two changes" <(head -2 "$TMP/want.txt") \
	<(grep -v '^summary' "$TMP/xchanged.txt")
"$SYNSCAN" diff --json --db "$DB" 2 3 >"$TMP/changed.json"
check "diff --json: the two changes as JSON objects" \
	labcheck diff-json "$TMP/changed.json" closed:22:filtered:open opened:24:open:closed
check "open ports of scan 3 by SQL: 24,80,443" \
	[ "$(q "SELECT group_concat(port) FROM (SELECT port FROM ports WHERE scan_id = 3 AND state = 'open' ORDER BY port)")" = "24,80,443" ]

# An interrupted scan is recorded, incomplete; diff skips it.
ip netns exec "$LABNAME-scan" "$SYNSCAN" -q -p- --rate 3000 198.18.0.2 --db "$DB" \
	--pause-file "$TMP/p.resume" >/dev/null 2>&1 &
pid=$!
sleep 1.5
kill -INT $pid
wait $pid
check "interrupted scan exits 4" [ $? -eq 4 ]
if [ "$(q "SELECT status || complete FROM scans WHERE id = 4")" = "interrupted0" ]; then
	pass "it is recorded as interrupted, complete = 0"
else
	fail "it is recorded as interrupted, complete = 0"
fi
check "its error column says how many probes were not sent" \
	q "SELECT error FROM scans WHERE id = 4" | grep -qE '^interrupted: [1-9][0-9]* of 65535 probes not sent$'
check "it recorded the answers so far" [ "$(q "SELECT count(*) FROM ports WHERE scan_id = 4")" -gt 0 ]
"$SYNSCAN" diff --db "$DB" >"$TMP/after-int.txt" 2>&1
check "diff --db still compares the last two complete scans" grep -q "scan 2 -> scan 3" "$TMP/after-int.txt"

# Two scans writing to one database at once: both complete.
for i in 1 2; do
	in_lab "$SYNSCAN" -q -p- --rate 60000 --wait 0.3 198.18.0.2 --db "$TMP/conc.db" \
		>/dev/null 2>"$TMP/conc$i.err" &
	pids[i]=$!
done
for i in 1 2; do
	wait "${pids[$i]}"
	check "concurrent scan $i exits 0" [ $? -eq 0 ]
done
check "both are recorded complete with 65535 ports each" \
	[ "$(sqlite3 "$TMP/conc.db" "SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n FROM ports JOIN scans ON scans.id = scan_id WHERE complete = 1 GROUP BY scan_id)")" = "65535 65535" ]
"$SYNSCAN" diff --db "$TMP/conc.db" >/dev/null 2>&1
check "and agree with each other" [ $? -eq 0 ]

# Three shards in three labs in parallel, merged, equal the unsharded scan.
SARGS=(-q -p 1-100 --rate 20000 --wait 0.5 --seed 4242 198.19.0.0/26)
in_lab "$SYNSCAN" "${SARGS[@]}" --db "$TMP/single.db" >/dev/null
check "unsharded scan exits 0" [ $? -eq 0 ]
for i in 1 2 3; do
	EXTRA_LABS+=("it-dbshard$i-$$")
	"$LAB" --name "it-dbshard$i-$$" up >/dev/null 2>&1 || fail "lab it-dbshard$i-$$ up"
done
for i in 1 2 3; do
	timeout 120 ip netns exec "it-dbshard$i-$$-scan" "$SYNSCAN" "${SARGS[@]}" --shard "$i/3" \
		--db "$TMP/shard$i.db" >/dev/null 2>"$TMP/shard$i.err" &
	pids[i]=$!
done
for i in 1 2 3; do
	wait "${pids[$i]}"
	check "shard $i/3 exits 0" [ $? -eq 0 ]
done
"$SYNSCAN" merge --db "$TMP/merged.db" "$TMP"/shard{1,2,3}.db >"$TMP/merge.txt" 2>&1
check "merge exits 0" [ $? -eq 0 ]
check "merge prints its summary" grep -q "^merged 3 scans: 64 hosts, 6400 ports into" "$TMP/merge.txt"
rows() { sqlite3 "$1" "SELECT addr || ' ' || port || ' ' || state || ' ' || reason FROM ports WHERE scan_id = (SELECT max(id) FROM scans) ORDER BY addr, port"; }
rows "$TMP/single.db" >"$TMP/single.txt"
rows "$TMP/merged.db" >"$TMP/merged.txt"
same_lines "merged shards: every (address, port) as the unsharded scan found it" \
	"$TMP/single.txt" "$TMP/merged.txt"
if [ "$(sqlite3 "$TMP/merged.db" "SELECT status || complete || hosts_up || (instr(args, '--shard') = 0) FROM scans")" = "done1641" ]; then
	pass "the merged scan is complete, args without --shard"
else
	fail "the merged scan is complete, args without --shard"
fi
"$SYNSCAN" merge --db "$TMP/single.db" "$TMP"/shard{1,2,3}.db >/dev/null 2>&1
"$SYNSCAN" diff --db "$TMP/single.db" 1 2 >/dev/null 2>&1
check "diff of the unsharded scan and the merge exits 0" [ $? -eq 0 ]
finish
# SPDX-License-Identifier: BSD-2-Clause
