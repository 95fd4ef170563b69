#!/bin/bash
# t_faults_resume.sh: resume and history under faults: one --db row holds an interrupted and resumed scan (the union), a resume file cannot be replayed, foreign or damaged probe states and unwritable pause files are refused before any packet, relative paths resume from anywhere, a locked or corrupted database gives SQLite's reason.
# tags: lab tsan
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed (scripts/deps installs it)"
command -v jq >/dev/null || skip_all "jq is not installed (scripts/deps installs it)"
# Without retries every probe goes out exactly once, whatever the interruption.
# Discovery by ICMP echo only (-PE): the SYNs counted are the port probes
# (the default -PS443 would add one SYN to port 443 of each target).
ARGS=(-q -PE -p 1-1000 --rate 4000 --wait 0.5 --seed 99 --max-retries 0 198.19.0.0/29)
lab_up fres
syn_counter_on "$LABNAME-tgt"

# interrupt ERR CMD...: runs CMD in the lab, SIGINT after 1 s; its status.
interrupt() {
	local err=$1 pid
	shift
	ip netns exec "$LABNAME-scan" "$@" >/dev/null 2>"$err" &
	pid=$!
	sleep 1
	kill -INT $pid
	wait $pid
}
# sent: SYNs the target has seen so far.
sent() { syn_counts "$LABNAME-tgt" | awk '{s+=$3} END{print s+0}'; }
# one_line NAME STATUS WANT ERR PATTERN: status WANT and ERR one line matching PATTERN.
one_line() {
	if [ "$2" -eq "$3" ] && [ "$(wc -l <"$4")" -eq 1 ] && grep -q -- "$5" "$4"; then
		pass "$1"
	else
		fail "$1 (exit $2, want $3; stderr: $(head -c 300 "$4" | tr '\n' '|'))"
	fi
}
# rows NDJSON: "ip port state" of every record, sorted.
rows() { jq -r 'select(.type == "port") | "\(.ip) \(.port) \(.state)"' "$1" | sort; }

# --- History: the baseline, then a scan interrupted, the lab changed, resumed.
DB=$TMP/a/h.db
mkdir -m 777 "$TMP/a" "$TMP/b"
in_lab "$SYNSCAN" "${ARGS[@]}" --db "$DB" >/dev/null 2>&1
if [ "$(sqlite3 "$DB" "SELECT status || complete FROM scans")" = "done1" ]; then
	pass "baseline scan recorded"
else
	fail "baseline scan recorded"
fi

# Relative paths, from $TMP/a: outputs, database and pause file.
cd "$TMP/a" || exit 1
before=$(sent)
interrupt "$TMP/p1.err" "$SYNSCAN" "${ARGS[@]}" --db h.db -oJ part.json --csv part.csv \
	-oG part.gnmap --pause-file p.resume
rc=$?
check "interrupted scan exits 4 (rc=$rc)" [ "$rc" -eq 4 ]
check "it says how to continue, with an absolute path" \
	grep -q "continue with: synscan --resume $TMP/a/p.resume\$" "$TMP/p1.err"
sent1=$(($(sent) - before))
echo "# the first part sent $sent1 of 8000 probes"
if [ "$sent1" -gt 0 ] && [ "$sent1" -lt 8000 ]; then
	pass "the first part stopped part-way ($sent1 of 8000)"
else
	fail "the first part stopped part-way ($sent1 of 8000)"
fi
check "the resume file names every file absolutely" \
	grep -qF "\"--db\",\"$TMP/a/h.db\",\"-oJ\",\"$TMP/a/part.json\"" p.resume
check "... and its probe states" grep -qx "state \"$TMP/a/p.resume.state\"" p.resume
check "... and the database row it continues" grep -qx "records 2,0,0,0,0" p.resume
if [ "$(sqlite3 "$DB" "SELECT status || complete FROM scans WHERE id = 2")" = "interrupted0" ]; then
	pass "the interrupted row is incomplete"
else
	fail "the interrupted row is incomplete"
fi
rows part.json >"$TMP/part1.rows"
grep ' open$' "$TMP/part1.rows" >"$TMP/part1.open"
echo "# open ports answered in the first part: $(wc -l <"$TMP/part1.open")"
check "the first part found open ports" [ -s "$TMP/part1.open" ]

# The lab changes: every SYN is dropped after it is counted, so the rest of
# the scan finds nothing open and the first part's open ports are not seen
# again.
ip netns exec "$LABNAME-tgt" nft -f - <<'NFT'
table inet gone {
	chain pre {
		type filter hook prerouting priority -200; policy accept;
		tcp flags & (syn | ack) == syn drop
	}
}
NFT

# Resumed from another directory, through a relative path to the resume file.
cd "$TMP/b" || exit 1
in_lab "$SYNSCAN" --resume ../a/p.resume >/dev/null 2>"$TMP/p2.err"
rc=$?
check "resumed from another directory: exit 0 (rc=$rc)" [ "$rc" -eq 0 ]
check "nothing was written in that directory" [ -z "$(ls -A "$TMP/b")" ]
if [ ! -e "$TMP/a/p.resume" ] && [ ! -e "$TMP/a/p.resume.state" ]; then
	pass "the finished resume consumed its resume file and states"
else
	fail "the finished resume consumed its resume file and states"
fi
syn_counts "$LABNAME-tgt" >"$TMP/syns.txt"
check "every probe of the interrupted scan sent exactly once over both parts" \
	awk 'END{exit !(NR == 8000 && bad == 0)} $3 != 2 {bad++}' "$TMP/syns.txt"

# The union: what the first part answered, the rest filtered.
for h in 0 1 2 3 4 5 6 7; do
	for p in $(seq 1 1000); do echo "198.19.0.$h $p"; done
done | sort >"$TMP/all.pairs"
{
	cat "$TMP/part1.rows"
	cut -d' ' -f1,2 "$TMP/part1.rows" | sort | comm -13 - "$TMP/all.pairs" | sed 's/$/ filtered/'
} | sort >"$TMP/union.want"
sqlite3 "$DB" "SELECT addr || ' ' || port || ' ' || state FROM ports WHERE scan_id = 2" |
	sort >"$TMP/union.db"
same_lines "--db: one row holds the whole scan, the first part's answers included" \
	"$TMP/union.want" "$TMP/union.db"
if [ "$(sqlite3 "$DB" "SELECT group_concat(id || status || complete || hosts_up, ' ') FROM scans")" = "1done18 2done18" ]; then
	pass "--db: two scans, the resumed one done and complete, 8 hosts up"
else
	fail "--db: two scans, the resumed one done and complete, 8 hosts up"
fi
check "--db: host counts add up to 1000 ports each" \
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM hosts WHERE scan_id = 2 AND open + closed + filtered = 1000")" = 8 ]
rows "$TMP/a/part.json" >"$TMP/union.json"
same_lines "-oJ: the same union, each port once" "$TMP/union.want" "$TMP/union.json"
if [ "$(grep '^port,' "$TMP/a/part.csv" | cut -d, -f3,4 | sort -u | wc -l)" -eq 8000 ] &&
	[ "$(grep -c '^port,' "$TMP/a/part.csv")" -eq 8000 ]; then
	pass "--csv: 8000 rows, each port once"
else
	fail "--csv: 8000 rows, each port once"
fi
"$SYNSCAN" diff --db "$DB" >"$TMP/diff.txt" 2>&1
rc=$?
if [ "$rc" -eq 3 ] && grep -q "^summary: scan 1 -> scan 2:" "$TMP/diff.txt"; then
	pass "diff --db compares the baseline with the whole resumed scan (rc=$rc)"
else
	fail "diff --db compares the baseline with the whole resumed scan (rc=$rc)"
fi
missing=0
while read -r ip port _; do
	grep -q " $ip $port/tcp " "$TMP/diff.txt" && missing=$((missing + 1))
done <"$TMP/part1.open"
check "no port found open in the first part shows as changed ($missing do)" [ "$missing" -eq 0 ]

# A second --resume is refused: nothing sent, no output touched.
sums=$(md5sum "$TMP"/a/part.* "$DB")
before=$(sent)
in_lab "$SYNSCAN" --resume "$TMP/a/p.resume" >/dev/null 2>"$TMP/again.err"
one_line "a second --resume: exit 2, one line" $? 2 "$TMP/again.err" "cannot read resume file '$TMP/a/p.resume'"
if [ "$(sent)" -eq "$before" ] && [ "$sums" = "$(md5sum "$TMP"/a/part.* "$DB")" ]; then
	pass "... no probe sent, no output or database changed"
else
	fail "... no probe sent, no output or database changed"
fi
ip netns exec "$LABNAME-tgt" nft delete table inet gone
cd "$TMP" || exit 1

# --- Probe states: another scan's, damaged, or of another moment are refused.
SMALL=(-q -p 1-4000 --rate 2000 --wait 0.3 --max-retries 0 198.18.0.2)
interrupt "$TMP/x.err" "$SYNSCAN" "${SMALL[@]}" --seed 1 -oJ "$TMP/x.json" --pause-file "$TMP/x.resume"
interrupt "$TMP/y.err" "$SYNSCAN" "${SMALL[@]}" --seed 2 -oJ "$TMP/y.json" --pause-file "$TMP/y.resume"
if [ -s "$TMP/x.resume.state" ] && [ -s "$TMP/y.resume.state" ]; then
	pass "two scans of 4000 probes interrupted"
else
	fail "two scans of 4000 probes interrupted"
fi
cp "$TMP/x.resume.state" "$TMP/x.state.good"
cp "$TMP/y.resume.state" "$TMP/x.resume.state"
sums=$(md5sum "$TMP/x.json")
before=$(sent)
in_lab "$SYNSCAN" --resume "$TMP/x.resume" >/dev/null 2>"$TMP/foreign.err"
one_line "another scan's probe states: exit 2, one line" $? 2 "$TMP/foreign.err" \
	"probe states '$TMP/x.resume.state': they belong to another scan"
cp "$TMP/x.state.good" "$TMP/x.resume.state"
printf '\377' | dd of="$TMP/x.resume.state" bs=1 seek=100 conv=notrunc status=none
in_lab "$SYNSCAN" --resume "$TMP/x.resume" >/dev/null 2>"$TMP/damaged.err"
one_line "damaged probe states: exit 2, one line" $? 2 "$TMP/damaged.err" "they are damaged"
if [ "$(sent)" -eq "$before" ] && [ "$sums" = "$(md5sum "$TMP/x.json")" ]; then
	pass "... nothing sent, the output untouched"
else
	fail "... nothing sent, the output untouched"
fi
cp "$TMP/x.state.good" "$TMP/x.resume.state"
in_lab "$SYNSCAN" --resume "$TMP/x.resume" >/dev/null 2>"$TMP/x2.err"
check "the right states: the resumed scan exits 0" [ $? -eq 0 ]
if [ "$(rows "$TMP/x.json" | cut -d' ' -f2 | sort -u | wc -l)" -eq 4000 ] &&
	[ "$(grep -c '"type":"port"' "$TMP/x.json")" -eq 4000 ]; then
	pass "... and reports each of the 4000 ports once"
else
	fail "... and reports each of the 4000 ports once"
fi

# --- Pause files that cannot be written are refused before any packet.
mkdir "$TMP/ro"
mount -t tmpfs -o ro,size=1m tmpfs "$TMP/ro" || fail "mount a read-only tmpfs"
before=$(sent)
in_lab "$SYNSCAN" "${SMALL[@]}" --pause-file "$TMP/ro/p.resume" >/dev/null 2>"$TMP/ro.err"
one_line "--pause-file on a read-only file system: exit 1, one line" $? 1 "$TMP/ro.err" \
	"resume file '$TMP/ro/p.resume': nobody cannot create files in '$TMP/ro': Read-only file system"
check "... before any packet" [ "$(sent)" -eq "$before" ]
# The default pause file in a read-only current directory moves to /tmp.
(cd "$TMP/ro" && interrupt "$TMP/rod.err" env -u TMPDIR "$SYNSCAN" "${SMALL[@]}" --seed 3 -oJ "$TMP/rod.json")
check "default pause file, read-only directory: exit 4 (interrupted)" [ $? -eq 4 ]
moved=$(sed -n 's/.*continue with: synscan --resume \(.*\)$/\1/p' "$TMP/rod.err")
if [ "${moved#/tmp/synscan-}" != "$moved" ] && [ -s "$moved" ]; then
	pass "... the resume file moved to /tmp ($moved)"
else
	fail "... the resume file moved to /tmp ($moved)"
fi
in_lab "$SYNSCAN" --resume "$moved" >/dev/null 2>&1
if [ $? -eq 0 ] && [ ! -e "$moved" ] && [ ! -e "$moved.state" ]; then
	pass "... and resumes: exit 0, consumed"
else
	fail "... and resumes: exit 0, consumed"
fi
umount "$TMP/ro"

# A root-owned probe-state file in a sticky directory ($TMP is 1777): nobody
# could not replace it.
touch "$TMP/r.resume.state"
before=$(sent)
in_lab "$SYNSCAN" "${SMALL[@]}" --pause-file "$TMP/r.resume" --user nobody >/dev/null 2>"$TMP/r.err"
one_line "root's .state in a sticky directory, --user nobody: exit 1, one line" $? 1 "$TMP/r.err" \
	"nobody cannot replace '$TMP/r.resume.state': it belongs to uid 0 in a sticky directory"
check "... before any packet" [ "$(sent)" -eq "$before" ]
# Elsewhere the atomic write replaces root's files (mode 0644) as nobody.
mkdir -m 777 "$TMP/w"
touch "$TMP/w/r.resume" "$TMP/w/r.resume.state"
interrupt "$TMP/w1.err" "$SYNSCAN" "${SMALL[@]}" --seed 4 -oJ "$TMP/w.json" --pause-file "$TMP/w/r.resume"
if [ $? -eq 4 ] && grep -q '^state_sum ' "$TMP/w/r.resume" && [ "$(stat -c %U "$TMP/w/r.resume.state")" = nobody ]; then
	pass "root's old resume files in a writable directory: replaced, exit 4 (interrupted)"
else
	fail "root's old resume files in a writable directory: replaced, exit 4 (interrupted)"
fi
in_lab "$SYNSCAN" --resume "$TMP/w/r.resume" >/dev/null 2>&1
if [ $? -eq 0 ] && [ "$(rows "$TMP/w.json" | cut -d' ' -f2 | sort -u | wc -l)" -eq 4000 ] &&
	[ "$(grep -c '"type":"port"' "$TMP/w.json")" -eq 4000 ]; then
	pass "... resumed: exit 0, each of the 4000 ports once"
else
	fail "... resumed: exit 0, each of the 4000 ports once"
fi

# A full disk under the pause file found only when the states are written:
# exit 1, one line, and the outputs say the scan failed (not "success").
mkdir -m 777 "$TMP/full"
mount -t tmpfs -o size=64k,mode=1777 tmpfs "$TMP/full" || fail "mount a small tmpfs"
dd if=/dev/zero of="$TMP/full/fill" bs=4k 2>/dev/null
interrupt "$TMP/full.err" "$SYNSCAN" "${SMALL[@]}" --seed 6 -oX "$TMP/full.xml" --pause-file "$TMP/full/f.resume"
one_line "pause file on a full disk: exit 1, one line" $? 1 "$TMP/full.err" \
	"cannot write probe states '$TMP/full/f.resume.state': No space left on device"
if labcheck xml-finished "$TMP/full.xml" && grep -q 'exit="error"' "$TMP/full.xml" &&
	! grep -q 'exit="success"' "$TMP/full.xml"; then
	pass "... the XML output is complete and says the scan failed"
else
	fail "... the XML output is complete and says the scan failed"
fi
check "... no resume file, no temporary file left" [ -z "$(ls "$TMP/full" | grep -v '^fill$')" ]
umount "$TMP/full"

# --- SQLite's own reasons.
# Locked before the scan: one line after about 5 s, before any packet.
in_lab "$SYNSCAN" "${SMALL[@]}" --db "$TMP/l.db" >/dev/null 2>&1
python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE"); print("locked", flush=True); time.sleep(30)' "$TMP/l.db" >"$TMP/lock.out" &
locker=$!
for _ in $(seq 50); do [ -s "$TMP/lock.out" ] && break; sleep 0.1; done
t0=$SECONDS
before=$(sent)
in_lab "$SYNSCAN" "${SMALL[@]}" --db "$TMP/l.db" >/dev/null 2>"$TMP/locked.err"
one_line "a locked database: exit 1, one line with SQLite's reason" $? 1 "$TMP/locked.err" \
	"database '$TMP/l.db': database is locked (another connection kept it locked for 5 s)"
if [ $((SECONDS - t0)) -le 12 ] && [ "$(sent)" -eq "$before" ]; then
	pass "... after about 5 s ($((SECONDS - t0)) s), before any packet"
else
	fail "... after about 5 s ($((SECONDS - t0)) s), before any packet"
fi
# Locked while the scan runs: the database fails with SQLite's reason, the
# other outputs are complete.
in_lab "$SYNSCAN" -q -p 1-2000 --rate 1000 --wait 0.3 --seed 5 198.18.0.2 --db "$TMP/l2.db" \
	-oJ "$TMP/l2.json" >/dev/null 2>"$TMP/locked2.err" &
scan=$!
sleep 0.7
python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE"); time.sleep(30)' "$TMP/l2.db" &
locker2=$!
wait $scan
one_line "locked during the scan: exit 1, one line with SQLite's reason" $? 1 "$TMP/locked2.err" \
	"output '$TMP/l2.db' (--db): database is locked (another connection kept it locked for 5 s)"
check "... the NDJSON output is complete" [ "$(grep -c '"type":"port"' "$TMP/l2.json")" -eq 2000 ]
kill "$locker" "$locker2" 2>/dev/null
wait "$locker" "$locker2" 2>/dev/null
# Corrupted: pages of a database overwritten.
in_lab "$SYNSCAN" "${SMALL[@]}" --db "$TMP/c.db" >/dev/null 2>&1
sqlite3 "$TMP/c.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
python3 -c 'import os, sys
p = sys.argv[1]
with open(p, "r+b") as f:
    for page in range(2, os.path.getsize(p) // 4096):
        f.seek(page * 4096 + 100); f.write(b"\xff" * 200)' "$TMP/c.db"
in_lab "$SYNSCAN" "${SMALL[@]}" --db "$TMP/c.db" -oJ "$TMP/c.json" >/dev/null 2>"$TMP/corrupt.err"
one_line "a corrupted database: exit 1, one line with SQLite's reason" $? 1 "$TMP/corrupt.err" \
	"database disk image is malformed"
finish
# SPDX-License-Identifier: BSD-2-Clause
