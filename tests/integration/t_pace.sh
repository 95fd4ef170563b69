#!/bin/bash
# t_pace.sh: the pace follows what targets answer: exact results and few SYNs a probe where targets limit RSTs or SYNs, per host across a range, over a WAN path, and fast on an open LAN.
# tags: lab
# Not tagged tsan: the lab's limits count real seconds; TSan's slowdown
# changes what the scanner can send, not what this checks.
# Each profile in a lab of its own (scripts/lab up --rst-limit, --syn-limit,
# --rst-limit-per-addr, --delay/--jitter/--wan-loss). SYNs that reached the
# target come from `scripts/lab syns`. The time bounds are loose (a loaded
# machine): the real targets are benchmarks (scripts/accuracy --profiles).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

# profile TAG LABOPTS...: a fresh lab for one profile.
profile() {
	[ -z "$LABNAME" ] || "$LAB" --name "$LABNAME" down >/dev/null 2>&1
	lab_up "$@"
}

# scan OUT ARGS...: synscan -v ARGS -oJ OUT in the lab, its SYNs counted;
# sets secs (wall, ms precision) and syns.
scan() {
	local out=$1 t0 t1
	shift
	"$LAB" --name "$LABNAME" syns --reset >/dev/null
	t0=$(date +%s%N)
	timeout 300 ip netns exec "$LABNAME-scan" "$SYNSCAN" -v "$@" -oJ "$out" \
		>"$TMP/scan.out" 2>"$TMP/scan.err"
	t1=$(date +%s%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
	syns=$("$LAB" --name "$LABNAME" syns)
}

# exact NAME FILE IP PORTS: every port of IP as the lab expects.
exact() {
	local out
	out=$(labcheck wrong-ports "$2" "$3" <(expected_states "$4"))
	check "$1: all ports of $3 right (wrong: ${out:-?})" [ "${out%% *}" = 0 ]
}

# at_most NAME VALUE LIMIT: VALUE <= LIMIT (decimals allowed).
at_most() {
	check "$1: $2 <= $3" awk -v v="$2" -v l="$3" 'BEGIN { exit !(v != "" && v <= l) }'
}

# ratio A B: A / B with three decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

# limited NAME PORTS PROBES BOUND_S ARGS...: one limited single-host scan,
# judged: exact, SYNs a probe, time against the lower bound.
limited() {
	local name=$1 ports=$2 probes=$3 bound=$4
	shift 4
	scan "$TMP/l.json" -p "$ports" "$@" 198.18.0.2
	echo "# $name: ${secs} s (bound $bound s), $syns SYNs for $probes probes;" \
		"$(grep -m1 'synscan: pace:' "$TMP/scan.err")"
	exact "$name" "$TMP/l.json" 198.18.0.2 "$ports"
	at_most "$name: SYNs a probe" "$(ratio "$syns" "$probes")" 1.35
	at_most "$name: seconds over the bound $bound" "$secs" "$(ratio "$bound" 0.5)"
}

# closed PORTS: how many of PORTS the lab answers with a RST.
closed() { expected_states "$1" | grep -c ' closed '; }

# --- A target that sends at most 200 RSTs a second (FreeBSD's default).
profile rst --rst-limit 200
n=$(closed 1-2000)
limited "--rst-limit 200" 1-2000 2000 "$(ratio "$n" 200)"
check "--rst-limit 200: -v names the limit" grep -q 'answers capped at ~' "$TMP/scan.err"

# ... and 500 a second, with --rate 100000 (a ceiling: the pace still follows).
profile rst5 --rst-limit 500
n=$(closed 1-5000)
limited "--rst-limit 500, --rate 100000" 1-5000 5000 "$(ratio "$n" 500)" --rate 100000

# --- A firewall in front that lets 2000 SYNs a second in (SYN-flood protection).
profile syn --syn-limit 2000
limited "--syn-limit 2000" 1-20000 20000 10

# --- Every address of a /26 with a limit of its own (250 RSTs/s each), 400 ports.
profile perhost --rst-limit-per-addr 250
n=$(closed 1-400)
scan "$TMP/h.json" -p 1-400 198.19.0.0/26
echo "# --rst-limit-per-addr 250, 64 hosts: ${secs} s (bound $(ratio "$n" 250) s), $syns SYNs for 25600 probes"
bad=0
for a in 0 1 17 42 63; do
	out=$(labcheck wrong-ports "$TMP/h.json" "198.19.0.$a" <(expected_states 1-400))
	[ "${out%% *}" = 0 ] || { bad=$((bad + 1)); echo "# 198.19.0.$a: $out"; }
done
check "--rst-limit-per-addr 250: 5 sampled hosts of 64 exact" [ "$bad" -eq 0 ]
check "--rst-limit-per-addr 250: a verdict for each of 25600 probes, 64 hosts" \
	[ "$(grep -c '"type":"port"' "$TMP/h.json"):$(labcheck ndjson-hosts "$TMP/h.json")" = 25600:64 ]
at_most "--rst-limit-per-addr 250: SYNs a probe" "$(ratio "$syns" 25600)" 1.6
at_most "--rst-limit-per-addr 250: seconds" "$secs" "$(ratio "$(ratio "$n" 250)" 0.34)"

# --- A WAN path: 150 ms +- 30 ms round trip, 1 % loss each way; no flags.
profile wan --delay 75 --jitter 15 --wan-loss 1
scan "$TMP/w.json" -p- 198.18.0.2
echo "# WAN -p-: ${secs} s, $syns SYNs for 65535 probes"
exact "WAN 150 +- 30 ms, 1 % loss" "$TMP/w.json" 198.18.0.2 1-65535
at_most "WAN: seconds" "$secs" 12
at_most "WAN: SYNs a probe" "$(ratio "$syns" 65535)" 1.6

# --- An open LAN path: no flags, all ports, ramping to what the machine sends.
profile lan
scan "$TMP/n.json" -p- 198.18.0.2
echo "# LAN -p-: ${secs} s, $syns SYNs; $(grep -m1 'synscan: pace:' "$TMP/scan.err")"
exact "LAN -p-, no flags" "$TMP/n.json" 198.18.0.2 1-65535
at_most "LAN: seconds" "$secs" 6
at_most "LAN: SYNs a probe" "$(ratio "$syns" 65535)" 1.05
finish
# SPDX-License-Identifier: BSD-2-Clause
