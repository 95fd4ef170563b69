#!/bin/bash
# t_interrupt.sh: 50 scans stopped at random moments by SIGINT, SIGTERM, a reader closing stdout, or SIGINT while stdout is full: each ends in time with the documented status, valid complete files, a resume file when ports are left, nothing left behind.
# tags: lab
# Not tagged tsan: each run must end within 4 s of its signal, a bound TSan's 5-15x slowdown breaks.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

RUNS=${INTERRUPT_RUNS:-50}
BATCH=10
WAIT=1
# A fixed seed for the choices; the moments still vary with the machine.
SEED=${INTERRUPT_SEED:-4242}
RANDOM=$SEED
EXE=$(readlink -f "$SYNSCAN")
R=$TMP/runs
mkdir -m 1777 "$R"

# handlers_up PID: PID is synscan with its SIGINT handler installed.
handlers_up() {
	local cgt
	[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$EXE" ] || return 1
	cgt=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null)
	[ -n "$cgt" ] && (((16#$cgt & 2) != 0))
}

# secs MS: MS milliseconds as seconds for sleep.
secs() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

# run_one N SIG DELAY_MS PORTS: scan 198.19.0.N's ports 1-PORTS with every
# output; DELAY_MS after its handlers are up, send SIGINT or SIGTERM; PIPE:
# its stdout reader closes the pipe after DELAY_MS; SLOW: SIGINT while its
# stdout reader sleeps 2 s with the pipe full, then reads everything.
# Writes "sig delay ports rc t_sig t_end" to meta.
run_one() {
	local n=$1 sig=$2 delay=$3 ports=$4 d=$R/$1 job p pid='' rc t_sig=- t_end i
	local args=(-q -p "1-$ports" --rate 10000 --wait "$WAIT" --pause-file "$d/resume"
		-oX "$d/x.xml" -oG "$d/g.gnmap" --csv "$d/c.csv" -oN "$d/n.txt" -oJ "$d/j.json"
		"198.19.0.$n")
	local scan=(timeout -s KILL 30 ip netns exec "$LABNAME-scan" "$SYNSCAN" "${args[@]}")
	mkdir -m 1777 "$d"
	watchdog "$d" >/dev/null 2>&1 &
	local wd=$!
	case $sig in
	PIPE)
		{
			"${scan[@]}" -oJ - 2>"$d/err"
			echo "$? $EPOCHREALTIME" >"$d/end"
		} | {
			sleep "$(secs "$delay")"
			head -c 100 >/dev/null
			echo "$EPOCHREALTIME" >"$d/closed"
		}
		t_sig=$(cat "$d/closed")
		;;
	SLOW)
		{
			"${scan[@]}" -oJ - 2>"$d/err"
			echo "$? $EPOCHREALTIME" >"$d/end"
		} | {
			sleep 2
			cat >"$d/stdout.json"
		} &
		;;
	*)
		{
			"${scan[@]}" >/dev/null 2>"$d/err"
			echo "$? $EPOCHREALTIME" >"$d/end"
		} &
		;;
	esac
	if [ "$sig" != PIPE ]; then
		job=$!
		for ((i = 0; i < 1000 && !${#pid}; i++)); do
			for p in $(pgrep -f -- "$d/resume"); do
				handlers_up "$p" && pid=$p
			done
			[ -n "$pid" ] || sleep 0.01
		done
		sleep "$(secs "$delay")"
		t_sig=$EPOCHREALTIME
		[ -n "$pid" ] && kill -"${sig/SLOW/INT}" "$pid" 2>/dev/null || t_sig=-
		wait "$job"
		[ -n "$pid" ] || echo "handlers never seen" >>"$d/err"
	fi
	read -r rc t_end <"$d/end"
	echo "$sig $delay $ports $rc $t_sig $t_end" >"$d/meta"
	kill "$wd" 2>/dev/null
}

# watchdog DIR: a run of DIR still going after 25 s (it is killed at 30):
# its threads' stacks in DIR/stacks, for the log.
watchdog() {
	local p
	command -v gdb >/dev/null || return 0
	sleep 25
	for p in $(pgrep -f -- "$1/resume"); do
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$EXE" ] || continue
		gdb -p "$p" -batch -ex "thread apply all bt 12" 2>/dev/null |
			grep -E '^(#|Thread)' >>"$1/stacks"
	done
}

lab_up interrupt
sigs=(INT TERM PIPE SLOW)
t0=$EPOCHREALTIME
for ((b = 0; b < RUNS; b += BATCH)); do
	for ((n = b + 1; n <= b + BATCH && n <= RUNS; n++)); do
		# Drawn here: a background command expands its words after the fork.
		# One run in five is stopped in its first 50 ms (set-up, first answers).
		sig=${sigs[RANDOM % 4]} delay=$((RANDOM % 5 ? RANDOM % 1501 : RANDOM % 51))
		ports=$((1000 + RANDOM % 19001))
		run_one "$n" "$sig" "$delay" "$ports" &
	done
	wait
done
echo "# $RUNS scans, $BATCH at a time, seed $SEED: $(awk "BEGIN{printf \"%.1f\", $EPOCHREALTIME - $t0}") s"

# Leftovers: no process in the lab's scanner namespace (every run's synscan
# ran there), no descriptor open on any run's files.
left=$(ip netns pids "$LABNAME-scan" | tr '\n' ' ')
check "no synscan process or thread left after the runs (${left:-none})" [ -z "$left" ]
fds=$(find /proc/[0-9]*/fd -maxdepth 1 -lname "$R/*" 2>/dev/null | head -5)
check "no file descriptor left open on the runs' files (${fds:-none})" [ -z "$fds" ]

for f in "$R"/*/x.xml; do
	xmllint --noout "$f" 2>/dev/null || echo "${f%/x.xml}" >>"$TMP/badxml"
done

# Every run, judged on its own; one line per run that failed.
labcheck interrupt-verdicts "$R" "$WAIT" "$TMP/badxml" >"$TMP/verdicts"
grep '^# ' "$TMP/verdicts"
for f in "$R"/*/stacks; do
	[ -s "$f" ] && echo "# stacks of the stuck run ${f%/stacks}:" && sed 's/^/#   /' "$f" | head -60
done
nruns=$(find "$R" -name meta | wc -l)
check "all $RUNS runs finished and were judged ($nruns)" [ "$nruns" -eq "$RUNS" ]
# failing CATEGORY: the runs that failed in CATEGORY, shown; true when none did.
failing() {
	grep "^$1 " "$TMP/verdicts" | cut -d' ' -f2- | head -10
	! grep -q "^$1 " "$TMP/verdicts"
}
check "every run ended within ${WAIT}+3 s of its signal" failing time
check "every run's exit status and stderr are the documented ones (4 and at most the resume line, 0 when the signal came after the end; 1 and one line for a closed stdout)" failing status
check "every run's XML, NDJSON, CSV, grepable and normal files are complete and valid, CSV rows = NDJSON rows, no stray files" failing files
check "every run reported each port or left a resume file (and said so)" failing resume
finish
# SPDX-License-Identifier: BSD-2-Clause
