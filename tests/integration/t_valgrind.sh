#!/bin/bash
# t_valgrind.sh: memcheck on lab scans with every output (complete, stopped by SIGINT, stopped by a closed stdout): no memory error, no definite or indirect leak, no descriptor of synscan's open at exit, exact results.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

# valgrind cannot run a program built with AddressSanitizer.
if asan_build; then
	skip_all "valgrind cannot run an AddressSanitizer build"
fi
if ! command -v valgrind >/dev/null; then
	fail "valgrind is not installed (scripts/deps installs it)"
	finish
	exit 1
fi

# Open, closed, dropped and each ICMP-rejected kind of port: few, as valgrind is slow.
P=1-300,3306,5432,8080,8443,9000,9001,10000-10019,30000-30005,30100,30110,30120,30130,30140,30150
VG=(valgrind --vgdb=no --leak-check=full "--errors-for-leak-kinds=definite,indirect"
	--error-exitcode=99 --track-fds=yes --child-silent-after-fork=yes)

# outputs NAME: OUT = every output format of run NAME, in $TMP.
outputs() {
	local b=$TMP/$1
	OUT=(-oX "$b.xml" -oG "$b.gnmap" -oN "$b.nmap" --csv "$b.csv" -oJ "$b.json"
		--db "$b.db" --status-json "$b.status" --pause-file "$b.resume")
}

# memcheck_clean NAME RC WANT_RC: run NAME exited WANT_RC (99 is memcheck's
# error status) with no memory error and no definite or indirect leak.
memcheck_clean() {
	local log=$TMP/$1.vg
	[ "$2" -eq "$3" ] && grep -q 'ERROR SUMMARY: 0 errors' "$log" &&
		{ grep -q 'All heap blocks were freed' "$log" ||
			{ grep -q 'definitely lost: 0 bytes' "$log" && grep -q 'indirectly lost: 0 bytes' "$log"; }; } &&
		return 0
	echo "# exit $2 (want $3); valgrind says:"
	grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|Invalid|uninitialised|at 0x|by 0x' "$log" | head -20
	return 1
}

# fds_closed NAME: valgrind's FILE DESCRIPTORS report of run NAME lists no
# descriptor above 2 that synscan opened (inherited ones are not synscan's).
fds_closed() {
	labcheck valgrind-fds "$TMP/$1.vg"
}

lab_up valgrind
cd "$TMP" || exit 1

# 1. A complete scan.
outputs full
in_lab "${VG[@]}" --log-file="$TMP/full.vg" "$SYNSCAN" -q -p "$P" --wait 0.5 198.18.0.2 \
	"${OUT[@]}" >/dev/null 2>"$TMP/full.err"
rc=$?
check "complete scan: exit 0, no memcheck error, no definite or indirect leak" memcheck_clean full "$rc" 0
check "complete scan: no descriptor left open at exit but 0-2" fds_closed full
expected_states "$P" >"$TMP/want.txt"
ndjson_states "$TMP/full.json" 198.18.0.2 >"$TMP/got.txt" 2>/dev/null
same_lines "complete scan: every port of $P as the lab says" "$TMP/want.txt" "$TMP/got.txt"
check "complete scan: XML well-formed" xmllint --noout "$TMP/full.xml"

# 2. SIGINT once the first answers are out: the resume path.
outputs int
timeout 120 ip netns exec "$LABNAME-scan" "${VG[@]}" --log-file="$TMP/int.vg" "$SYNSCAN" -q -p "$P" \
	--rate 100 --wait 0.5 198.18.0.2 "${OUT[@]}" >/dev/null 2>"$TMP/int.err" &
tpid=$!
for ((i = 0; i < 600; i++)); do
	[ -s "$TMP/int.json" ] && break
	kill -0 "$tpid" 2>/dev/null || break
	sleep 0.05
done
pid=$(pgrep -P "$tpid" | head -1)
[ -n "$pid" ] && kill -INT "$pid"
wait "$tpid"
rc=$?
check "SIGINT: exit 4, no memcheck error, no definite or indirect leak" memcheck_clean int "$rc" 4
check "SIGINT: no descriptor left open at exit but 0-2" fds_closed int
check "SIGINT: a resume file was written ($(head -1 "$TMP/int.err"))" [ -s "$TMP/int.resume" ]
check "SIGINT: XML well-formed" xmllint --noout "$TMP/int.xml"

# 3. The reader of stdout goes away: the failed-output path.
outputs pipe
in_lab "${VG[@]}" --log-file="$TMP/pipe.vg" "$SYNSCAN" -q -p "$P" --rate 1000 --wait 0.5 \
	198.18.0.2 "${OUT[@]}" -oJ - 2>"$TMP/pipe.err" | head -c 100 >/dev/null
rc=${PIPESTATUS[0]}
check "closed stdout: exit 1, no memcheck error, no definite or indirect leak" memcheck_clean pipe "$rc" 1
check "closed stdout: no descriptor left open at exit but 0-2" fds_closed pipe
check "closed stdout: one line on stderr: $(head -1 "$TMP/pipe.err")" [ "$(wc -l <"$TMP/pipe.err")" -eq 1 ]
check "closed stdout: XML well-formed" xmllint --noout "$TMP/pipe.xml"
finish
# SPDX-License-Identifier: BSD-2-Clause
