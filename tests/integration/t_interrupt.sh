#!/bin/bash
# t_interrupt.sh: 50 scans stopped at random moments by SIGINT, SIGTERM, a reader closing stdout, or SIGINT while stdout is full: each ends in time with the documented status, valid complete files, a resume file when ports are left, nothing left behind.
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
python3 - "$R" "$WAIT" "$TMP/badxml" >"$TMP/verdicts" <<'PY'
import csv, json, os, re, sys

root, wait, badxml = sys.argv[1], float(sys.argv[2]), sys.argv[3]
bad_xml = set(open(badxml).read().split()) if os.path.exists(badxml) else set()
stats = {"INT": 0, "TERM": 0, "PIPE": 0, "SLOW": 0, "resumable": 0, "complete": 0, "slowest": 0.0}

def judge(d):
    sig, delay, ports, rc, t_sig, t_end = open(d + "/meta").read().split()
    ports, rc = int(ports), int(rc)
    stats[sig] += 1
    errs = []
    err_lines = open(d + "/err").read().splitlines()
    pipe_broke = sig == "PIPE" and rc == 1
    if t_sig != "-":
        stats["slowest"] = max(stats["slowest"], float(t_end) - float(t_sig))
    if t_sig != "-" and float(t_end) - float(t_sig) > wait + 3:
        errs.append(("time", f"took {float(t_end) - float(t_sig):.2f} s after the signal"))
    if pipe_broke:
        if err_lines != ["synscan: writing NDJSON output to 'stdout': Broken pipe"]:
            errs.append(("status", f"stderr {err_lines[:3]}"))
    elif rc != 0:
        errs.append(("status", f"exit {rc}"))
    resume_line = f"synscan: interrupted; continue with: synscan --resume {d}/resume"
    if not pipe_broke and [l for l in err_lines if l != resume_line]:
        errs.append(("status", f"stderr {err_lines[:3]}"))
    if d in bad_xml:
        errs.append(("files", "XML not well-formed"))
    xml = open(d + "/x.xml").read()
    m = re.search(r'<finished [^>]*summary="synscan (\w+)[^>]*exit="(\w+)"', xml)
    if not m or not xml.rstrip().endswith("</nmaprun>"):
        errs.append(("files", "XML without <finished> or </nmaprun>"))
    elif m.group(2) != ("error" if pipe_broke else "success"):
        errs.append(("files", f"XML exit={m.group(2)}"))
    rows = set()
    try:
        for line in open(d + "/j.json"):
            j = json.loads(line)
            rows.add((j["ip"], j["port"], j["state"], j["reason"]))
    except (ValueError, KeyError) as e:
        errs.append(("files", f"NDJSON: {e}"))
    try:
        with open(d + "/c.csv", newline="") as f:
            text = f.read()
        table = list(csv.reader(text.splitlines()))
        if table[0][:6] != ["ip", "port", "proto", "state", "reason", "ttl"]:
            errs.append(("files", f"CSV header {table[0]}"))
        if not text.endswith("\n") or any(len(r) != len(table[0]) for r in table):
            errs.append(("files", "CSV row cut short"))
        crows = {(r[0], int(r[1]), r[3], r[4]) for r in table[1:]}
        if crows != rows:
            errs.append(("files", f"CSV ({len(crows)} rows) differs from NDJSON ({len(rows)})"))
    except (ValueError, IndexError) as e:
        errs.append(("files", f"CSV: {e}"))
    if sig == "SLOW" and open(d + "/stdout.json").read() != open(d + "/j.json").read():
        errs.append(("files", "NDJSON on the slow stdout differs from the -oJ file"))
    gn = open(d + "/g.gnmap").read().splitlines()
    if not gn or not gn[-1].startswith("# synscan done at "):
        errs.append(("files", "grepable output without its last line"))
    nt = open(d + "/n.txt").read().splitlines()
    if not nt or not nt[-1].startswith("synscan done: "):
        errs.append(("files", "normal output without its last line"))
    resumed = os.path.exists(d + "/resume")
    if resumed:
        stats["resumable"] += 1
        if resume_line not in err_lines:
            errs.append(("resume", "a resume file but no 'continue with' line"))
        if not os.path.getsize(d + "/resume") or not os.path.exists(d + "/resume.state"):
            errs.append(("resume", "resume file empty or without its state file"))
    elif resume_line in err_lines:
        errs.append(("resume", "'continue with' but no resume file"))
    if not pipe_broke and not resumed:
        if len(rows) != ports:
            errs.append(("resume", f"{len(rows)} of {ports} ports reported and no resume file"))
        else:
            stats["complete"] += 1
    leftovers = set(os.listdir(d)) - {"meta", "err", "end", "closed", "x.xml", "g.gnmap",
                                      "c.csv", "n.txt", "j.json", "resume", "resume.state",
                                      "stdout.json"}
    if leftovers:
        errs.append(("files", f"left-over files {sorted(leftovers)}"))
    for cat, msg in errs:
        how = {"INT": "SIGINT", "TERM": "SIGTERM", "PIPE": "stdout closed",
               "SLOW": "SIGINT, stdout full"}[sig]
        print(f"{cat} run {os.path.basename(d)} ({how} at {delay} ms, {ports} ports, exit {rc}): {msg}")

for name in sorted(os.listdir(root), key=int):
    try:
        judge(os.path.join(root, name))
    except (OSError, ValueError) as e:
        print(f"files run {name}: {e}")
print(f"# SIGINT {stats['INT']}, SIGTERM {stats['TERM']}, closed stdout {stats['PIPE']}, "
      f"SIGINT with stdout full {stats['SLOW']}; "
      f"{stats['resumable']} left a resume file, {stats['complete']} reported every port; "
      f"slowest end {stats['slowest']:.2f} s after its signal")
PY
grep '^# ' "$TMP/verdicts"
nruns=$(find "$R" -name meta | wc -l)
check "all $RUNS runs finished and were judged ($nruns)" [ "$nruns" -eq "$RUNS" ]
# failing CATEGORY: the runs that failed in CATEGORY, shown; true when none did.
failing() {
	grep "^$1 " "$TMP/verdicts" | cut -d' ' -f2- | head -10
	! grep -q "^$1 " "$TMP/verdicts"
}
check "every run ended within ${WAIT}+3 s of its signal" failing time
check "every run's exit status and stderr are the documented ones (0 and at most the resume line; 1 and one line for a closed stdout)" failing status
check "every run's XML, NDJSON, CSV, grepable and normal files are complete and valid, CSV rows = NDJSON rows, no stray files" failing files
check "every run reported each port or left a resume file (and said so)" failing resume
finish
