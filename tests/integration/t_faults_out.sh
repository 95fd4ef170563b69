#!/bin/bash
# t_faults_out.sh: outputs fail independently. A full disk (a 64 KiB tmpfs) under each output
# kind (--db: 256 KiB, which holds its schema), -oX /dev/full, a locked and a corrupted --db:
# exit 1, one stderr line naming the output and its cause, every other output complete and
# equal to a clean run's, ending "stopped" with that line where the format can say it. Every
# output failing stops the scan at once, with a resume file. A --status-json reader that goes
# away, one that never opens the FIFO, and --status-json /dev/full, cost only the status: one
# warning line, the scan and its exit status unchanged.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

FULL=$TMP/full
mkdir -m 1777 "$FULL"
mount -t tmpfs -o size=64k,mode=1777 synscan-full "$FULL" || skip_all "cannot mount a tmpfs"
DBFULL=$TMP/dbfull
mkdir -m 1777 "$DBFULL"
mount -t tmpfs -o size=256k,mode=1777 synscan-dbfull "$DBFULL" || skip_all "cannot mount a tmpfs"
trap 'umount "$FULL" "$DBFULL" 2>/dev/null; cleanup' EXIT
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed (scripts/deps installs it)"

lab_up faultsout
P=1-1000,3306,5432,8080,8443,10000-10019
T=198.19.0.0/25 # 128 hosts x 1024 ports: -oN 130 kB, -oX 640 kB, -oJ 11 MB
cd "$TMP" || exit 1

# scan ARGS...: the scan every case runs (a clean run answers the same each time).
scan() { in_lab "$SYNSCAN" -q -p $P --wait 0.3 --seed 3 "$T" "$@"; }

# The formats, their options and how a run's file is compared with the clean
# run's: timestamps, the command line and the last lines (the end) left out;
# NDJSON and CSV port rows sorted (they stream in answer order), without
# their times; a host's latency (normal, XML <times>) differs between runs.
KINDS=(n g x j c)
declare -A OPT=([n]=-oN [g]=-oG [x]=-oX [j]=-oJ [c]=--csv [d]=--db)
norm() {
	case $1 in
	n) grep -v -e '^$' -e '^Starting synscan' -e '^Scanning ' -e '^synscan \(done\|stopped\)' "$2" |
		sed -E 's/^Host is up \([0-9.]+s latency\)/Host is up (L latency)/' ;;
	g) grep -v '^#' "$2" ;;
	x) sed -e '/^<!-- synscan/d' -e '/^<nmaprun /d' -e 's/ starttime="[0-9]*" endtime="[0-9]*"//' \
		-e '/^<times srtt=/d' -e '/^<runstats>/,$d' "$2" ;;
	d) sqlite3 "$2" "SELECT addr, port, state, reason, ttl FROM ports ORDER BY addr, port" ;;
	j) ndjson_ports "$2" | sort ;;
	c) grep '^port,' "$2" | cut -d, -f3- | sort ;;
	esac
}

# outputs_except KIND PREFIX: options writing every format but KIND to PREFIX.KIND.
outputs_except() {
	local k
	for k in "${KINDS[@]}"; do
		[ "$k" = "$1" ] || printf '%s\n' "${OPT[$k]}" "$2.$k"
	done
}

# healthy NAME PREFIX WHY [KIND...]: PREFIX.KIND of each KIND is the clean run's,
# and ends saying the scan stopped with WHY (normal, grepable, XML; "" for a clean end).
healthy() {
	local name=$1 prefix=$2 why=$3 k end=done exit=success said=done
	shift 3
	[ -z "$why" ] || end=error exit=error said="stopped (the line)"
	for k in "$@"; do
		same_lines "$name: ${OPT[$k]} complete, equal to the clean run" <(norm "$k" ref."$k") \
			<(norm "$k" "$prefix.$k")
	done
	for k in "$@"; do
		case $k in
		n) check "$name: -oN ends $said" ends "$prefix.n" "synscan stopped: " "$why" ;;
		g) check "$name: -oG ends $said" ends "$prefix.g" "# synscan stopped: " "$why" ;;
		j) check "$name: -oJ's end record says $end${why:+ (the line as its error)}" \
			python3 - "$prefix.j" "$end" "$why" <<'PY' ;;
import json, sys
last = json.loads(open(sys.argv[1]).read().splitlines()[-1])
want = {"type": "end", "status": sys.argv[2]}
if sys.argv[3]:
    want["error"] = sys.argv[3]
sys.exit(0 if all(last.get(k) == v for k, v in want.items()) and ("error" in last) == bool(sys.argv[3]) else 1)
PY
		c) check "$name: --csv's end row says $end${why:+ (the line as its error)}" \
			python3 - "$prefix.c" "$end" "$why" <<'PY' ;;
import csv, sys
last = list(csv.reader(open(sys.argv[1], newline="")))[-1]
ok = last[0] == "end" and last[5] == sys.argv[2]
ok = ok and (last[9].endswith(" error=" + sys.argv[3]) if sys.argv[3] else " error=" not in last[9])
sys.exit(0 if ok else 1)
PY
		d) check "$name: --db scan recorded as $end (the line as its error)" \
			[ "$(sqlite3 "$prefix.d" "SELECT status || '|' || ifnull(error, '') FROM scans")" = \
				"$end|$why" ] ;;
		x) check "$name: -oX is XML ending exit=$exit (errormsg the line)" \
			python3 - "$prefix.x" "$why" <<'PY' ;;
import sys, xml.etree.ElementTree as E
f = E.parse(sys.argv[1]).getroot().find("runstats/finished")
want = {"exit": "error", "errormsg": sys.argv[2]} if sys.argv[2] else {"exit": "success"}
sys.exit(0 if f is not None and all(f.get(k) == v for k, v in want.items()) else 1)
PY
		esac
	done
}

# ends FILE PREFIX WHY: FILE's "stopped" line is PREFIX WHY, or it has none when WHY is "".
ends() {
	if [ -n "$3" ]; then
		[ "$(grep -c "^$2" "$1")" -eq 1 ] && grep -qxF "$2$3" "$1"
	else
		! grep -q "^$2" "$1"
	fi
}

# one_line NAME FILE LINE: FILE (stderr) holds exactly LINE.
one_line() {
	if [ "$(cat "$2")" = "$3" ]; then pass "$1"; else
		fail "$1"
		sed 's/^/# stderr: /' "$2" | head -5
		echo "# wanted: $3"
	fi
}

# one_like NAME FILE REGEX: FILE (stderr) is one line matching REGEX (whole).
one_like() {
	if [ "$(wc -l <"$2")" -eq 1 ] && grep -qxE "$3" "$2"; then pass "$1"; else
		fail "$1"
		sed 's/^/# stderr: /' "$2" | head -5
	fi
}

# The clean run, every format.
scan -oN ref.n -oG ref.g -oX ref.x -oJ ref.j --csv ref.c --db ref.d >/dev/null 2>ref.err
check "clean run: exit 0, stderr empty" [ "$?:$(wc -c <ref.err)" = 0:0 ]
check "clean run: 128 hosts, 1024 ports each" [ "$(grep -c '"type":"port"' ref.j)" -eq $((128 * 1024)) ]

# A full disk under each kind; the four others and a database on a healthy disk.
for k in "${KINDS[@]}"; do
	rm -f "$FULL"/*
	mapfile -t others < <(outputs_except "$k" "e$k")
	others+=(--db "e$k.d")
	scan "${OPT[$k]}" "$FULL/out.$k" "${others[@]}" >/dev/null 2>"e$k.err"
	rc=$?
	why="output '$FULL/out.$k' (${OPT[$k]}): No space left on device"
	check "ENOSPC under ${OPT[$k]}: exit 1 (was $rc)" [ $rc -eq 1 ]
	one_line "ENOSPC under ${OPT[$k]}: one stderr line naming the output and the cause" "e$k.err" "synscan: $why"
	check "ENOSPC under ${OPT[$k]}: the failing file got its first 64 KiB" [ -s "$FULL/out.$k" ]
	mapfile -t rest < <(printf '%s\n' "${KINDS[@]}" d | grep -vx "$k")
	healthy "ENOSPC under ${OPT[$k]}" "e$k" "$why" "${rest[@]}"
done

# A full disk under --db, met once rows are written (the schema fits, the
# 131072 port rows do not): the five other formats whole.
mapfile -t others < <(outputs_except none ed)
scan --db "$DBFULL/out.d" "${others[@]}" >/dev/null 2>ed.err
rc=$?
check "ENOSPC under --db: exit 1 (was $rc)" [ $rc -eq 1 ]
one_like "ENOSPC under --db: one stderr line naming the database and SQLite's cause" ed.err \
	"synscan: output '$DBFULL/out.d' \(--db\): database or disk is full[^;]*"
why=$(sed 's/^synscan: //' ed.err)
healthy "ENOSPC under --db" ed "$why" "${KINDS[@]}"

# -oX /dev/full (libxml2 prints nothing of its own).
scan -oX /dev/full -oN dx.n -oJ dx.j --csv dx.c >/dev/null 2>dx.err
check "-oX /dev/full: exit 1" [ $? -eq 1 ]
why="output '/dev/full' (-oX): No space left on device"
one_line "-oX /dev/full: one stderr line" dx.err "synscan: $why"
healthy "-oX /dev/full" dx "$why" n j c

# Every output failing stops the scan at once (32 hosts x 65535 ports: 12 s
# when it runs to its end) and leaves a resume file.
rm -f "$FULL"/*
t0=$EPOCHREALTIME
in_lab "$SYNSCAN" -q -p 1-65535 --wait 0.3 --seed 3 198.19.0.0/27 -oJ - --csv "$FULL/all.c" \
	--pause-file "$TMP/all.resume" >/dev/full 2>all.err
rc=$?
secs=$(awk "BEGIN{print int($EPOCHREALTIME - $t0)}")
check "every output failing: exit 1" [ $rc -eq 1 ]
one_line "every output failing: one line naming both and the resume" all.err \
	"synscan: output stdout (-oJ): No space left on device; output '$FULL/all.c' (--csv): No space left on device; interrupted, continue with: synscan --resume $TMP/all.resume"
check "every output failing: the scan stopped at once ($secs s)" [ "$secs" -lt 5 ]
check "every output failing: a resume file" [ -s all.resume ]
check "every output failing: its probe states" [ -s all.resume.state ]

# A database locked by another writer while the scan runs (synscan gives up
# after a 5 s busy timeout, in SQLite's words): the other outputs are whole.
scan --db lk.db -oN seed.n >/dev/null 2>&1 # a history to lock
sqlite3 lk.db 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
chmod 666 lk.db
python3 - "$TMP/lk.db" >lk.lock <<'PY' &
import sqlite3, sys, time
time.sleep(1)  # the scan has begun: its scans row is in
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(90)
PY
holder=$!
scan --rate 40000 --db lk.db -oN lk.n -oX lk.x -oJ lk.j --csv lk.c >/dev/null 2>lk.err
rc=$?
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
check "locked --db: the lock was taken during the scan" grep -qx locked lk.lock
check "locked --db: exit 1" [ $rc -eq 1 ]
one_like "locked --db: one stderr line naming the database and SQLite's cause" lk.err \
	"synscan: output 'lk.db' \(--db\): database is locked[^;]*"
why=$(sed 's/^synscan: //' lk.err)
healthy "locked --db" lk "$why" n x j c

# A corrupted database: every page but the first (the schema) overwritten.
scan --db bad.db -oN seed.n >/dev/null 2>&1
sqlite3 bad.db 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
python3 - bad.db <<'PY'
import os, sys
size = os.path.getsize(sys.argv[1])
with open(sys.argv[1], "r+b") as f:
    for page in range(1, size // 4096):
        f.seek(page * 4096)
        f.write(b"\x5a" * 4096)
PY
scan --db bad.db -oN bd.n -oG bd.g -oX bd.x -oJ bd.j --csv bd.c >/dev/null 2>bd.err
check "corrupted --db: exit 1" [ $? -eq 1 ]
one_like "corrupted --db: one stderr line naming the database and SQLite's cause" bd.err \
	"synscan: output 'bad.db' \(--db\): (database disk image is malformed|file is not a database)[^;]*"
why=$(sed 's/^synscan: //' bd.err)
healthy "corrupted --db" bd "$why" "${KINDS[@]}"

# A --status-json reader that reads three records and goes away: the scan
# (4 s at --rate 40000) goes on to its end, not interrupted.
mkfifo st.fifo
head -n 3 st.fifo >st.got &
reader=$!
scan --rate 40000 --status-json st.fifo --stats-every 0.2 --pause-file "$TMP/st.resume" \
	-oN st.n -oJ st.j >/dev/null 2>st.err
rc=$?
wait "$reader"
check "status reader gone: exit 0 (was $rc)" [ $rc -eq 0 ]
one_line "status reader gone: one warning line" st.err \
	"synscan: --status-json 'st.fifo': Broken pipe; continuing without status"
check "status reader gone: the reader had its three records" [ "$(wc -l <st.got)" -eq 3 ]
check "status reader gone: not interrupted (no resume file)" [ ! -e st.resume ]
healthy "status reader gone" st "" n j

scan --status-json /dev/full -oN sf.n -oJ sf.j >/dev/null 2>sf.err
check "--status-json /dev/full: exit 0" [ $? -eq 0 ]
one_line "--status-json /dev/full: one warning line" sf.err \
	"synscan: --status-json '/dev/full': No space left on device; continuing without status"
healthy "--status-json /dev/full" sf "" n j

# A --status-json FIFO nobody reads: synscan does not wait in open(2) for a
# reader (it used to, before the first probe, deaf to SIGTERM); the first
# record finds none, one warning. Bounded by SIGKILL: a hang is status 137.
mkfifo nr.fifo
timeout -s KILL 60 ip netns exec "$LABNAME-scan" "$SYNSCAN" -q -p $P --wait 0.3 --seed 3 "$T" \
	--status-json nr.fifo -oN nr.n -oJ nr.j >/dev/null 2>nr.err
rc=$?
check "status FIFO without a reader: exit 0, no hang (was $rc)" [ $rc -eq 0 ]
one_line "status FIFO without a reader: one warning line" nr.err \
	"synscan: --status-json 'nr.fifo': Broken pipe; continuing without status"
healthy "status FIFO without a reader" nr "" n j
# A reader that opens the FIFO after synscan (before the first record) gets
# the status: 38,400 probes at 10,000/s (a rate a sanitizer build sends and
# writes the answers of), a record every 0.5 s.
(
	sleep 0.3
	exec cat nr.fifo >nr.got
) &
reader=$!
timeout -s KILL 60 ip netns exec "$LABNAME-scan" "$SYNSCAN" -q -p 1-300 --wait 0.3 --seed 3 "$T" \
	--rate 10000 --status-json nr.fifo --stats-every 0.5 -oJ lr.j >/dev/null 2>lr.err
rc=$?
wait "$reader"
check "status reader opening late: exit 0, stderr empty (was $rc)" [ "$rc:$(wc -c <lr.err)" = 0:0 ]
check "status reader opening late: it had the records ($(wc -l <nr.got))" [ "$(wc -l <nr.got)" -ge 4 ]
check "status reader opening late: -oJ complete" [ "$(grep -c '"type":"port"' lr.j)" -eq 38400 ]

# A reader that opens the FIFO and stops reading (its pipe shrunk to one
# page, about 12 records) until the scan has ended: the scan does not wait
# for it (a blocking write stalled the whole scan until the reader left);
# the records that find the pipe full are skipped, each whole; no warning,
# the outputs complete.
mkfifo sr.fifo
python3 -c '
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.fcntl(fd, 1031, 4096)  # F_SETPIPE_SZ
while not os.path.exists(sys.argv[2]) and time.sleep(0.1) is None:
    pass
with open(sys.argv[3], "wb") as got:
    while True:
        buf = os.read(fd, 65536)
        if not buf:
            break
        got.write(buf)
' sr.fifo sr.done sr.got &
reader=$!
start=$(date +%s%N)
timeout -s KILL 60 ip netns exec "$LABNAME-scan" "$SYNSCAN" -q -p 1-300 --wait 0.3 --seed 3 "$T" \
	--rate 10000 --status-json sr.fifo --stats-every 0.1 -oN sr.n -oJ sr.j >/dev/null 2>sr.err
rc=$?
took=$((($(date +%s%N) - start) / 1000000))
alive=$(kill -0 "$reader" 2>/dev/null && echo yes)
touch sr.done
wait "$reader"
check "status reader that stops reading: exit 0, stderr empty (was $rc)" [ "$rc:$(wc -c <sr.err)" = 0:0 ]
check "... the scan did not wait for it (${took} ms for 38,400 probes at 10,000/s, < 15 s)" \
	[ "$took" -lt 15000 ]
check "... the reader still held the FIFO at the end" [ "$alive" = yes ]
check "... -oJ complete" [ "$(grep -c '"type":"port"' sr.j)" -eq 38400 ]
check "... what the reader got is whole records ($(wc -l <sr.got))" python3 -c '
import json, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "" and len(lines) > 1
for l in lines[:-1]:
    assert "elapsed" in json.loads(l)
' sr.got
check "... records were skipped (the pipe was full)" [ "$(wc -l <sr.got)" -lt 30 ]
finish
# SPDX-License-Identifier: BSD-2-Clause
