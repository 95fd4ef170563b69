#!/bin/bash
# t_faults_link.sh: link, capture and next-hop faults mid-scan. The scanner's link down for 7 s,
# deleted, or gone with the target's namespace: exit 1, one stderr line naming s0, every output
# holding the answers so far (each with the state a clean scan gives it) and ending failed, and
# --resume completing the scan to the exact result. A 0.2 s flap, a gateway whose MAC changes
# (the kernel told by a new neighbour entry, or left to find it itself): exit 0, the exact
# result, no resume file. The link down during the final wait (a WAN lab, answers
# 2 s away): 7 s fails and resumes exactly, a 0.3 s flap costs nothing. An IPv6 flap that
# takes the scanner's address: fails naming it and resumes exactly, or, the address put back,
# costs nothing. The capture thread frozen
# (cgroup v1 freezer) past a 64-slot answer queue: the scan still ends by itself, complete. A third
# SIGINT ends a stuck synscan at once.
# tags: lab tsan
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq is not installed (scripts/deps installs it)"
FREEZER=/sys/fs/cgroup/freezer
CG=$FREEZER/synscan-it-link-$$
# thaw: the frozen thread runs again and the test's freezer cgroup goes (bounded: 5 s).
thaw() {
	local t
	[ -d "$CG" ] || return 0
	echo THAWED >"$CG/freezer.state" 2>/dev/null
	for _ in $(seq 50); do
		while read -r t; do echo "$t" >"$FREEZER/tasks"; done <"$CG/tasks" 2>/dev/null
		rmdir "$CG" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "# cannot remove $CG"
}
trap 'thaw; cleanup' EXIT

lab_up link
RLAB=it-linkr-$$ # with --router: the target one hop away
DLAB=it-linkd-$$ # with --delay 1000: answers 2 s after their probes
EXTRA_LABS=("$RLAB" "$DLAB")
"$LAB" --name "$RLAB" up --router >/dev/null 2>&1 || fail "router lab up"
"$LAB" --name "$DLAB" up --delay 1000 >/dev/null 2>&1 || fail "WAN lab up"

# Every port of one target: 65535 probes, about 3.5 s.
FULL=(-q -p 1-65535 --rate 20000 --seed 7)
"$LAB" --name "$LABNAME" expect | cut -d' ' -f1,2 >"$TMP/want.full"
"$LAB" --name "$RLAB" expect | cut -d' ' -f1,2 >"$TMP/want.router"
"$LAB" --name "$DLAB" expect 1-300 | cut -d' ' -f1,2 >"$TMP/want.300"
for f in full router 300; do sort "$TMP/want.$f" >"$TMP/want.$f.sorted"; done
# The faulted scans' answers are subsets of these; "open" rows for -oN.

# start TAG LAB ARGS...: synscan ARGS in LAB's scanner namespace, in the
# background (SPID), bounded to 90 s, with every output kind and a pause file.
start() {
	local tag=$1 lab=$2
	shift 2
	ip netns exec "$lab-scan" timeout 90 "$SYNSCAN" "$@" -oN "$TMP/$tag.nmap" -oX "$TMP/$tag.xml" \
		-oJ "$TMP/$tag.json" --csv "$TMP/$tag.csv" --pause-file "$TMP/$tag.resume" \
		>"$TMP/$tag.out" 2>"$TMP/$tag.err" &
	SPID=$!
}
# finish_scan: waits for the scan started last; its status in RC.
finish_scan() {
	wait "$SPID"
	RC=$?
}
# got TAG: "PORT STATE" of every NDJSON row, by port (duplicates kept).
got() { jq -r 'select(.type == "port") | "\(.port) \(.state)"' "$TMP/$1.json" | sort -n; }
# csv_rows TAG IP / json_rows TAG: "IP,PORT,STATE" of every row, sorted.
# (port records only: README "Records").
csv_rows() { grep "^port,[^,]*,$2," "$TMP/$1.csv" | cut -d, -f3,4,6 | sort; }
json_rows() { jq -r 'select(.type == "port") | "\(.ip),\(.port),\(.state)"' "$TMP/$1.json" | sort; }
# xml_end TAG: "EXIT ERRORMSG" of the XML output's runstats (fails when it does not parse).
xml_end() {
	python3 - "$TMP/$1.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
f = ET.parse(sys.argv[1]).getroot().find("runstats/finished")
print(f.get("exit"), f.get("errormsg") or "")
PY
}

# faulted TAG IP WANT STATUS PATTERN: the checks of a scan that met a fault.
# STATUS 1: one stderr line matching PATTERN and promising the resume file,
# which exists; every output ends failed with that cause. STATUS 0: stderr
# empty, no resume file, the outputs end with success. Both: NDJSON rows
# each with the state WANT gives their port, each port once; the CSV the
# same rows; -oN lists the same open ports.
faulted() {
	local tag=$1 ip=$2 want=$3 st=$4 pat=$5 msg line
	line=$(head -c 400 "$TMP/$tag.err" | tr '\n' '|')
	if [ "$st" -eq 1 ]; then
		if [ "$RC" -eq 1 ] && [ "$(wc -l <"$TMP/$tag.err")" -eq 1 ] && grep -q -- "$pat" "$TMP/$tag.err" &&
			grep -qx "synscan: .*; answers so far written; continue with: synscan --resume $TMP/$tag.resume" "$TMP/$tag.err"; then
			pass "$tag: exit 1, one line naming the fault and the resume file"
		else
			fail "$tag: exit 1, one line (exit $RC; stderr: $line)"
		fi
		echo "# $tag: $line"
		check "$tag: the resume file and its probe states are there" \
			test_all -s "$TMP/$tag.resume" "$TMP/$tag.resume.state"
		msg=$(sed -e 's/^synscan: //' -e 's/; answers so far written; continue with: .*//' "$TMP/$tag.err")
		check "$tag: -oX parses and ends exit=\"error\" with the cause" [ "$(xml_end "$tag")" = "error $msg" ]
		check "$tag: -oN says it stopped and why" grep -qxF "synscan stopped: $msg" "$TMP/$tag.nmap"
	else
		check "$tag: exit 0, nothing on stderr (exit $RC; stderr: $line)" [ "$RC:$(wc -c <"$TMP/$tag.err")" = 0:0 ]
		check "$tag: no resume file" no_file "$TMP/$tag.resume" "$TMP/$tag.resume.state"
		check "$tag: -oX parses and ends exit=\"success\"" [ "$(xml_end "$tag")" = "success " ]
	fi
	got "$tag" >"$TMP/$tag.got"
	echo "# $tag: $(wc -l <"$TMP/$tag.got") ports answered or settled"
	check "$tag: -oJ: each port once" [ -z "$(cut -d' ' -f1 "$TMP/$tag.got" | uniq -d)" ]
	check "$tag: -oJ: every port with the state a clean scan gives it" \
		[ -z "$(sort "$TMP/$tag.got" | comm -23 - "$want.sorted")" ]
	json_rows "$tag" >"$TMP/$tag.jrows"
	csv_rows "$tag" "$ip" >"$TMP/$tag.crows"
	same_lines "$tag: --csv holds the same rows" "$TMP/$tag.jrows" "$TMP/$tag.crows"
	awk '$2 == "open" {print $1}' "$TMP/$tag.got" >"$TMP/$tag.jopen"
	sed -n 's|^\([0-9]*\)/tcp  *open .*|\1|p' "$TMP/$tag.nmap" | sort -n >"$TMP/$tag.nopen"
	same_lines "$tag: -oN lists the same open ports" "$TMP/$tag.jopen" "$TMP/$tag.nopen"
}

# resumed TAG LAB WANT: --resume of TAG's resume file in LAB: exit 0, quiet,
# the resume file consumed, NDJSON and CSV exactly WANT, each port once.
resumed() {
	local tag=$1 lab=$2 want=$3 rc
	timeout 90 ip netns exec "$lab-scan" "$SYNSCAN" --resume "$TMP/$tag.resume" >/dev/null 2>"$TMP/$tag.rerr"
	rc=$?
	check "$tag: --resume exits 0, quiet (exit $rc; stderr: $(head -c 300 "$TMP/$tag.rerr" | tr '\n' '|'))" \
		[ "$rc:$(wc -c <"$TMP/$tag.rerr")" = 0:0 ]
	check "$tag: the finished resume removed its resume file" \
		no_file "$TMP/$tag.resume" "$TMP/$tag.resume.state"
	got "$tag" >"$TMP/$tag.all"
	same_lines "$tag: -oJ after --resume: the exact result, each port once" "$want" "$TMP/$tag.all"
	json_rows "$tag" >"$TMP/$tag.jrows"
	csv_rows "$tag" "$(head -1 "$TMP/$tag.jrows" | cut -d, -f1)" >"$TMP/$tag.crows"
	same_lines "$tag: --csv after --resume: the same rows" "$TMP/$tag.jrows" "$TMP/$tag.crows"
}

# test_all OP FILE...: test OP holds for every FILE; no_file FILE...: none exists.
test_all() {
	local op=$1 f
	shift
	for f; do test "$op" "$f" || return 1; done
}
no_file() {
	local f
	for f; do [ ! -e "$f" ] || return 1; done
}
# running PID: 1 while PID runs (not yet a zombie), else 0.
running() {
	case $(sed -n 's/^State:\s*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null) in
	'' | Z) echo 0 ;;
	*) echo 1 ;;
	esac
}

in_ns() { ip netns exec "$LABNAME-scan" "$@"; }

# --- 1. s0 down for 7 s mid-scan: the 5 s grace runs out.
start down "$LABNAME" "${FULL[@]}" 198.18.0.2
sleep 1
in_ns ip link set s0 down
sleep 7
in_ns ip link set s0 up
finish_scan
faulted down 198.18.0.2 "$TMP/want.full" 1 "interface s0: link down for 5 s"
resumed down "$LABNAME" "$TMP/want.full"

# --- 2. s0 deleted mid-scan; resumed in the lab made again.
start del "$LABNAME" "${FULL[@]}" 198.18.0.2
sleep 1
in_ns ip link del s0
finish_scan
faulted del 198.18.0.2 "$TMP/want.full" 1 "s0"
"$LAB" --name "$LABNAME" up >/dev/null 2>&1 || fail "lab up again"
resumed del "$LABNAME" "$TMP/want.full"

# --- 3. A 0.2 s flap: retried, not a failure.
start flap "$LABNAME" "${FULL[@]}" 198.18.0.2
sleep 1
in_ns ip link set s0 down
sleep 0.2
in_ns ip link set s0 up
finish_scan
faulted flap 198.18.0.2 "$TMP/want.full" 0 ""
same_lines "flap: -oJ: the exact result" "$TMP/want.full" "$TMP/flap.got"

# --- 4. The target's namespace gone mid-scan (s0, its veth peer, with it).
start tgtgone "$LABNAME" "${FULL[@]}" 198.18.0.2
sleep 1
ip netns pids "$LABNAME-tgt" | xargs -r kill -9
ip netns del "$LABNAME-tgt"
finish_scan
# A namespace going loses its listeners (killed first, or it would stay)
# and its firewall before its link: a probe in between meets the bare stack,
# and a port the lab filters or listens on answers closed (a real answer,
# rare). Those few ports are expected closed from here on.
got tgtgone >"$TMP/tgtgone.early"
awk 'FILENAME == ARGV[1] {w[$1] = $2; next} $2 == "closed" && (w[$1] == "filtered" || w[$1] == "open") {print $1}' \
	"$TMP/want.full" "$TMP/tgtgone.early" >"$TMP/tgtgone.bare"
n=$(wc -l <"$TMP/tgtgone.bare")
check "tgtgone: at most 5 ports answered while the listeners or the firewall were gone ($n)" [ "$n" -le 5 ]
awk 'FILENAME == ARGV[1] {bare[$1] = 1; next} {print $1, ($1 in bare) ? "closed" : $2}' \
	"$TMP/tgtgone.bare" "$TMP/want.full" >"$TMP/want.tgtgone"
sort "$TMP/want.tgtgone" >"$TMP/want.tgtgone.sorted"
faulted tgtgone 198.18.0.2 "$TMP/want.tgtgone" 1 "s0"
"$LAB" --name "$LABNAME" up >/dev/null 2>&1 || fail "lab up again"
resumed tgtgone "$LABNAME" "$TMP/want.tgtgone"

# --- 4b. IPv6: a 1 s flap takes the scanner's address with it (the
# kernel drops IPv6 addresses on link down unless keep_addr_on_down), and
# then the target cannot resolve it: its answers stop. Not back within 5 s:
# a failure naming the address, resumed exactly once the lab is made again
# (before: exit 0, two thirds of the ports filtered). Put back within 1 s:
# the exact result.
"$LAB" --name "$LABNAME" expect -6 | cut -d' ' -f1,2 >"$TMP/want.v6"
sort "$TMP/want.v6" >"$TMP/want.v6.sorted"
# v6flap TAG READD: a 1 s flap of s0, 1.5 s into an IPv6 scan of every
# port; READD 1: the address put back 0.5 s after.
v6flap() {
	in_ns sysctl -qw net.ipv6.conf.s0.keep_addr_on_down=0
	start "$1" "$LABNAME" "${FULL[@]}" 2001:db8::2
	sleep 1.5
	in_ns ip link set s0 down
	sleep 1
	in_ns ip link set s0 up
	if [ "$2" = 1 ]; then
		sleep 0.5
		in_ns ip addr add 2001:db8::1/64 dev s0 nodad
	fi
	finish_scan
}
v6flap v6gone 0
faulted v6gone 2001:db8::2 "$TMP/want.v6" 1 "interface s0: source address 2001:db8::1 gone for 5 s"
"$LAB" --name "$LABNAME" up >/dev/null 2>&1 || fail "lab up again"
resumed v6gone "$LABNAME" "$TMP/want.v6"
v6flap v6back 1
faulted v6back 2001:db8::2 "$TMP/want.v6" 0 ""
same_lines "v6back: -oJ: the exact result" "$TMP/want.v6" "$TMP/v6back.got"
# The flap took the route to 198.19.0.0/16 too (the stall below needs it).
"$LAB" --name "$LABNAME" up >/dev/null 2>&1 || fail "lab up again"

# --- 5. The gateway's MAC changes mid-scan (the kernel learns it first).
# Answers lost until synscan follows the new MAC (gateways are read every
# second) must not make it pace the rest of the scan at what came back
# meanwhile ("answers capped": 12-16 s instead of ~3.5 s): the pace from
# before the change is put back.
t0=$(date +%s.%N)
start gwmac "$RLAB" "${FULL[@]}" 198.18.1.2
sleep 1
ip netns exec "$RLAB-rtr" ip link set r0 address 02:00:00:00:aa:01
ip netns exec "$RLAB-scan" ip neigh replace 198.18.0.254 lladdr 02:00:00:00:aa:01 dev s0 nud reachable
sleep 2
{ ip netns exec "$RLAB-scan" ip neigh; ip netns exec "$RLAB-rtr" ip neigh; ip -n "$RLAB-rtr" -s link show r0; ip -n "$RLAB-scan" -s link show s0; } >"$TMP/gwmac.diag" 2>&1
finish_scan
secs=$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}")
check "gwmac: the pace from before the change is kept (${secs} s, clean ~3.5 s)" \
	awk "BEGIN{exit !($secs < 8)}"
[ "$RC" -eq 0 ] || sed 's/^/# diag: /' "$TMP/gwmac.diag"
faulted gwmac 198.18.1.2 "$TMP/want.router" 0 ""
same_lines "gwmac: -oJ: the exact result" "$TMP/want.router" "$TMP/gwmac.got"

# --- 5b. The gateway's MAC changes and nobody tells the kernel (no
# gratuitous ARP or unsolicited advertisement), with the kernel's default
# neighbour timers: its entry stays REACHABLE for 15-45 s, the scan is blind
# meanwhile (it took 20-50 s). Answers stopping, synscan (nobody by then)
# asks the gateway on the wire (ARP request, IPv6 neighbour solicitation
# from sockets opened before the drop); the kernel takes the answer, and the
# scan follows within about a second. IPv4 and IPv6, each 65535 ports.
"$LAB" --name "$RLAB" expect -6 | cut -d' ' -f1,2 >"$TMP/want.router6"
sort "$TMP/want.router6" >"$TMP/want.router6.sorted"
gwsilent() { # TAG TARGET GATEWAY NEWMAC WANT
	local mac
	mac=$(ip netns exec "$RLAB-rtr" cat /sys/class/net/r0/address)
	ip netns exec "$RLAB-scan" ip neigh replace "$3" lladdr "$mac" dev s0 nud reachable
	t0=$(date +%s.%N)
	start "$1" "$RLAB" "${FULL[@]}" "$2"
	sleep 1
	ip netns exec "$RLAB-rtr" ip link set r0 address "$4"
	finish_scan
	secs=$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}")
	echo "# $1: ${secs} s; $(ip netns exec "$RLAB-scan" ip neigh show "$3")"
	check "$1: the new MAC followed within seconds, not the kernel's 15-45 s (${secs} s; clean ~3.5 s)" \
		awk "BEGIN{exit !($secs < 15)}"
	faulted "$1" "$2" "$5" 0 ""
	same_lines "$1: -oJ: the exact result" "$5" "$TMP/$1.got"
}
gwsilent gwsilent 198.18.1.2 198.18.0.254 02:00:00:00:aa:02 "$TMP/want.router"
gwsilent gwsilent6 2001:db8:2::2 2001:db8::fe 02:00:00:00:aa:03 "$TMP/want.router6"

# --- 6. The link down during the final wait. 300 probes in 0.15 s, no
# retries; the answers are 2 s away, so 1.9 s after the start sending has
# ended and the scan waits. The target's MAC, which the link going down
# takes from the kernel, is put back once it is up: an ARP round trip
# through the WAN path (2 s) is not what this tests.
DELAYED=(-q -p 1-300 --rate 2000 --max-retries 0 --wait 3 --seed 7 198.18.0.2)
mac=$(ip netns exec "$DLAB-scan" ip neigh show 198.18.0.2 dev s0 | sed -n 's/.*lladdr \([0-9a-f:]*\).*/\1/p')
# wait_fault TAG SECS: s0 down 1.9 s after the start for SECS s.
wait_fault() {
	"$LAB" --name "$DLAB" syns --reset >/dev/null
	start "$1" "$DLAB" "${DELAYED[@]}"
	sleep 1.9
	ip netns exec "$DLAB-scan" ip link set s0 down
	# SYNs are counted past the WAN path: those sent in the first 0.9 s.
	check "$1: sending had ended, the scan was waiting" \
		[ "$("$LAB" --name "$DLAB" syns):$(running "$SPID")" = 300:1 ]
	sleep "$2"
	ip netns exec "$DLAB-scan" ip link set s0 up
	[ -n "$mac" ] && ip netns exec "$DLAB-scan" ip neigh replace 198.18.0.2 lladdr "$mac" dev s0 nud reachable
	finish_scan
}
wait_fault waitdown 7
faulted waitdown 198.18.0.2 "$TMP/want.300" 1 "interface s0: link down for 5 s"
resumed waitdown "$DLAB" "$TMP/want.300"
wait_fault waitflap 0.3
faulted waitflap 198.18.0.2 "$TMP/want.300" 0 ""
same_lines "waitflap: -oJ: the exact result" "$TMP/want.300" "$TMP/waitflap.got"

# --- 7 and 8: the capture thread frozen.
if [ ! -w "$FREEZER/tasks" ] || ! mkdir "$CG" 2>/dev/null; then
	echo "ok $((passed + failed + 1)) # SKIP capture thread stalls: no cgroup v1 freezer at $FREEZER"
	passed=$((passed + 1))
	finish
	exit
fi
rmdir "$CG"
# threads PID: PID's threads but the main one, each with its system call
# now (/proc/PID/task/TID/syscall), by thread id.
threads() {
	local t
	for t in $(find "/proc/$1/task" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n); do
		[ "$t" != "$1" ] && echo "$t $(cut -d' ' -f1 "/proc/$1/task/$t/syscall" 2>/dev/null)"
	done
}
# capture_thread PID: the first thread synscan started, run_threads' capture
# thread. ThreadSanitizer starts one of its own before, which sleeps in
# nanosleep(2) (system call 35; synscan's threads sleep in clock_nanosleep):
# passed over. Two looks 50 ms apart must agree.
capture_thread() {
	local a b
	a=$(threads "$1" | awk '$2 != 35 {print $1; exit}')
	sleep 0.05
	b=$(threads "$1" | awk '$2 != 35 {print $1; exit}')
	[ -n "$a" ] && [ "$a" = "$b" ] && echo "$a"
}
# freeze_capture PID: freezes PID's capture thread once synscan runs and has
# started it (5 s at most).
freeze_capture() {
	local tid=''
	for _ in $(seq 50); do
		if [ "$(readlink "/proc/$1/exe")" = "$(readlink -f "$SYNSCAN")" ]; then
			tid=$(capture_thread "$1") && break
		fi
		sleep 0.1
	done
	[ -n "$tid" ] || return 1
	echo "# capture thread $tid of $(find "/proc/$1/task" -mindepth 1 -maxdepth 1 | wc -l)"
	mkdir "$CG" && echo "$tid" >"$CG/tasks" && echo FROZEN >"$CG/freezer.state"
}
# bounded_wait SECS PID: waits for PID, killing it (SIGKILL) after SECS; its status in RC.
bounded_wait() {
	local wd
	(
		sleep "$1"
		kill -9 "$2"
	) >/dev/null 2>&1 &
	wd=$!
	wait "$2"
	RC=$?
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
}
# gone_within SECS PID: true once PID has exited (or is a zombie) within SECS.
gone_within() {
	for _ in $(seq $(($1 * 10))); do
		[ "$(running "$2")" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# 7. Capture thread frozen from 1.5 s until sending has ended and the scan
# has had 1 s more (its wait is 0.3 s): the main thread joins it more than
# the answer queue (64 slots) behind. After the thaw the scan ends by itself.
# Discovery by ICMP echo only (-PE): the SYNs counted are the port probes.
"$LAB" --name "$LABNAME" syns --reset >/dev/null
ip netns exec "$LABNAME-scan" env SYNSCAN_TEST_QUEUE=64 "$SYNSCAN" -q -PE -p 1-65535 --rate 50000 --min-rate 50000 \
	--max-retries 0 --wait 0.3 198.19.0.1-2 -oJ "$TMP/stall.json" --pause-file "$TMP/stall.resume" \
	>/dev/null 2>"$TMP/stall.err" &
SPID=$!
sleep 1.5
if freeze_capture $SPID; then
	for _ in $(seq 100); do
		[ "$("$LAB" --name "$LABNAME" syns)" -ge 131070 ] && break
		sleep 0.1
	done
	sleep 1
	check "stall: sending ended while the capture thread was frozen, the scan still ran" \
		[ "$("$LAB" --name "$LABNAME" syns):$(running $SPID)" = 131070:1 ]
	thaw
	bounded_wait 10 $SPID
	check "stall: the scan ended by itself within 10 s of the thaw (status $RC; 137: killed)" [ "$RC" -ne 137 ]
	check "stall: exit 0, nothing on stderr (exit $RC; stderr: $(head -c 300 "$TMP/stall.err"))" \
		[ "$RC:$(wc -c <"$TMP/stall.err")" = 0:0 ]
	check "stall: -oJ complete, each of the 131070 ports once" \
		[ "$(jq -r 'select(.type == "port") | "\(.ip) \(.port)"' "$TMP/stall.json" | sort -u | wc -l):$(grep -c '"type":"port"' "$TMP/stall.json")" = 131070:131070 ]
else
	fail "stall: no capture thread to freeze"
	kill -9 $SPID
	wait $SPID
fi

# 8. A long scan, the capture thread frozen (it cannot end): the first
# SIGINT stops sending, the second the final wait, the third ends synscan.
# The v1 freezer holds the frozen thread itself until the thaw: within 2 s
# every other thread is gone (/proc says zombie); after the thaw the
# process is reaped at once, killed by SIGINT.
ip netns exec "$LABNAME-scan" "$SYNSCAN" -q -p 1-65535 --rate 200 198.18.0.2 -oJ "$TMP/sig.json" \
	--pause-file "$TMP/sig.resume" >/dev/null 2>"$TMP/sig.err" &
SPID=$!
sleep 0.5
if freeze_capture $SPID; then
	sleep 0.3
	for _ in 1 2 3; do
		kill -INT $SPID
		sleep 0.2
	done
	if gone_within 2 $SPID; then
		pass "sigint: the third SIGINT ended synscan within 2 s"
	else
		fail "sigint: synscan still runs 2 s after the third SIGINT"
		kill -9 $SPID
	fi
	thaw
	bounded_wait 5 $SPID
	check "sigint: gone once thawed, killed by SIGINT (status $RC)" [ "$RC" -eq 130 ]
else
	fail "sigint: no capture thread to freeze"
	kill -9 $SPID
	wait $SPID
fi

finish
# SPDX-License-Identifier: BSD-2-Clause
