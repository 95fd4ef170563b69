#!/bin/bash
# t_labprofiles.sh: the lab's real-network profiles do what they say: RST, ICMP and SYN limits, the SYN counter, the WAN path's delay, jitter, loss and throughput.
# tags: lab
# Each profile briefly, in a lab of its own, measured with the lab's nft
# counters, the delay line's counters and bounded scans (--max-retries 0,
# --rate pinned by an equal --min-rate: a scanner that slows down where
# targets limit would measure itself, not the lab) from the scanner
# namespace.  Bounds are loose: a loaded machine scans slower (more 1-s
# windows) and answers later.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

# counter NS FAMILY TABLE NAME: packets of an nft named counter (empty if none).
counter() {
	ip netns exec "$1" nft list counter "$2" "$3" "$4" 2>/dev/null |
		awk '/packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

# timed_scan OUT ARGS...: synscan ARGS -oJ OUT in the lab; sets `secs`, the
# whole seconds it took, rounded up.
timed_scan() {
	local out=$1 t0 t1
	shift
	t0=$(date +%s%N)
	in_lab "$SYNSCAN" -q "$@" -oJ "$out" >/dev/null 2>"$TMP/scan.err"
	t1=$(date +%s%N)
	secs=$(((t1 - t0 + 999999999) / 1000000000))
}

# states FILE IP STATE: how many ports of IP the NDJSON FILE gives STATE.
states() { grep -c "\"ip\":\"$2\",\"port\":[0-9]*,\"proto\":\"tcp\",\"state\":\"$3\"" "$1"; }

# between NAME VALUE LOW HIGH: passes when LOW <= VALUE <= HIGH.
between() {
	local v=${2:-x}
	if [[ $v =~ ^[0-9]+$ ]] && ((v >= $3 && v <= $4)); then
		pass "$1: $v in [$3, $4]"
	else
		fail "$1: ${2:-nothing} not in [$3, $4]"
	fi
}

# lab_again TAG OPTIONS...: the lab of the previous lab_up down, a new one up.
lab_again() {
	[ -z "$LABNAME" ] || "$LAB" --name "$LABNAME" down >/dev/null 2>&1
	lab_up "$@"
}

# --- Refused combinations and values: one line, status 1, nothing left behind.
refused() {
	local why=$1 out rc
	shift
	out=$("$LAB" --name "it-refuse-$$" up "$@" 2>&1)
	rc=$?
	check "up $* refused ($why): status $rc, $(wc -l <<<"$out") line" \
		[ "$rc:$(wc -l <<<"$out")" = 1:1 ]
}
refused "the sink answers nothing" --sink --delay 10
refused "the sink answers nothing" --sink --rst-limit 100
refused "jitter over delay" --delay 10 --jitter 20
refused "bad rate" --syn-limit 0
refused "bad percentage" --wan-loss 101
check "refused ups leave no namespace" [ "$(ip netns list | grep -c "^it-refuse-$$-")" -eq 0 ]

# --- --rst-limit 200 (all addresses together, both families) and --icmp-limit 20.
lab_again rst --rst-limit 200 --icmp-limit 20
timed_scan "$TMP/rst.json" --rate 5000 --min-rate 5000 -p 1-12000 --max-retries 0 --wait 0.3 198.18.0.2
sent=$(counter "$LABNAME-tgt" inet answerlimit rst_sent)
limited=$(counter "$LABNAME-tgt" inet answerlimit rst_limited)
echo "# --rst-limit 200: $sent RSTs sent, $limited limited in a ${secs}-s scan"
between "--rst-limit 200: RSTs out of the target" "$sent" 200 $((200 * (secs + 1)))
check "--rst-limit 200: the rest limited ($limited)" [ "${limited:-0}" -gt 5000 ]
check "--rst-limit 200: synscan saw every RST that left (closed = $sent)" \
	[ "$(states "$TMP/rst.json" 198.18.0.2 closed)" = "$sent" ]
sleep 1.1 # the last 1-s window of the IPv4 scan is over
timed_scan "$TMP/rst6.json" --rate 5000 --min-rate 5000 -p 1-2000 --max-retries 0 --wait 0.3 2001:db8::2
sent6=$(($(counter "$LABNAME-tgt" inet answerlimit rst_sent) - sent))
between "--rst-limit 200: IPv6 RSTs in a ${secs}-s scan" "$sent6" 200 $((200 * (secs + 1)))
icmp0=$(counter "$LABNAME-tgt" inet answerlimit icmp_sent) # port 9001 above: admin-prohibited
timed_scan "$TMP/icmp.json" --rate 400 --min-rate 400 -p 30000-30159 --max-retries 0 --wait 0.3 198.18.0.2
icmp=$(($(counter "$LABNAME-tgt" inet answerlimit icmp_sent) - icmp0))
between "--icmp-limit 20: ICMP errors out of the target in a ${secs}-s scan" "$icmp" 20 $((20 * (secs + 1)))
check "--icmp-limit 20: synscan saw each of them ($icmp)" \
	[ "$(grep -c '"state":"filtered","reason":"[a-z-]*-\(unreach\|prohibited\)"' "$TMP/icmp.json")" = "$icmp" ]
"$LAB" --name "$LABNAME" status >"$TMP/status.txt" 2>&1
check "status shows the profile" grep -q '^  profile: rst-limit 200/s; icmp-limit 20/s$' "$TMP/status.txt"

# --- --rst-limit-per-addr 20 behind the router: each address its own window.
lab_again rstaddr --router --rst-limit-per-addr 20
timed_scan "$TMP/addr.json" --rate 5000 --min-rate 5000 -p 1-300 --max-retries 0 --wait 0.3 198.19.0.0/28
low=1000000 high=0
for i in $(seq 0 15); do
	n=$(states "$TMP/addr.json" "198.19.0.$i" closed)
	((n < low)) && low=$n
	((n > high)) && high=$n
done
echo "# --rst-limit-per-addr 20: RSTs per address $low-$high in a ${secs}-s scan"
between "--rst-limit-per-addr 20: fewest RSTs of an address" "$low" 20 $((20 * (secs + 1)))
between "--rst-limit-per-addr 20: most RSTs of an address" "$high" 20 $((20 * (secs + 1)))
check "--rst-limit-per-addr 20: the rest limited" \
	[ "$(counter "$LABNAME-tgt" inet answerlimit rst_limited)" -gt 2000 ]

# --- --syn-limit 1000 (at the router with --router, here at t0) and the SYN counter.
lab_again synlimit --syn-limit 1000
"$LAB" --name "$LABNAME" syns --reset >/dev/null
timed_scan "$TMP/syn.json" --rate 5000 --min-rate 5000 -p 1-6000 --max-retries 0 --wait 0.3 198.18.0.2
syns=$("$LAB" --name "$LABNAME" syns)
through=$(counter "$LABNAME-tgt" netdev synlimit passed)
dropped=$(counter "$LABNAME-tgt" netdev synlimit dropped)
echo "# --syn-limit 1000: $syns SYNs, $through passed, $dropped dropped in a ${secs}-s scan"
check "syns: every probe counted ($syns)" [ "$syns" = 6000 ]
check "--syn-limit: passed + dropped = every SYN" [ $((through + dropped)) = 6000 ]
between "--syn-limit 1000: SYNs through" "$through" 1000 $((1000 * secs + 100))
was=$("$LAB" --name "$LABNAME" syns --reset)
check "syns --reset prints the count ($was) and zeroes it" \
	[ "$was:$("$LAB" --name "$LABNAME" syns)" = 6000:0 ]

# --- The WAN path: --delay 50 --jitter 10 --wan-loss 10.
lab_again wan --delay 50 --jitter 10 --wan-loss 10
rtt() { in_lab python3 "$TOP/scripts/lib/lab-rtt.py" -c 100 -i 0.01 "$1"; }
# The up's sanity check resolved the target's IPv4 neighbour, not its IPv6
# one.  Then 2.5 s of silence, longer than the delay line's timing wheel
# spans: the first frame after it must wait its time too.
in_lab python3 "$TOP/scripts/lib/lab-rtt.py" -c 3 -i 0.2 2001:db8::2 >/dev/null
sleep 2.5
for addr in 198.18.0.2 2001:db8::2; do
	# "sent N received M min A avg B max C sd D ms"
	read -r _ _ _ got _ min _ avg _ max _ sd _ < <(rtt "$addr")
	echo "# ping $addr through the WAN: $got of 100, min $min avg $avg max $max sd $sd ms"
	check "--delay 50 --jitter 10: $addr round trips 80-120 ms (+ load), none early" \
		awk -v a="$avg" -v lo="$min" -v sd="$sd" -v n="$got" \
		'BEGIN { exit !(n >= 50 && lo >= 79.9 && a >= 92 && a <= 115 && sd >= 4 && sd <= 14) }'
done
"$LAB" --name "$LABNAME" syns --reset >/dev/null
in_lab "$SYNSCAN" -q --rate 5000 --min-rate 5000 -p 1-5000 --max-retries 0 --wait 0.5 198.18.0.2 -oJ /dev/null >/dev/null 2>&1
syns=$("$LAB" --name "$LABNAME" syns)
between "--wan-loss 10: SYNs through the WAN of 5000" "$syns" 4350 4650
"$LAB" --name "$LABNAME" wan >"$TMP/wan.txt"
sed 's/^/# /' "$TMP/wan.txt"
# shellcheck disable=SC2016 # an awk program
check "--wan-loss 10: about 10 % of frames lost each way" awk '
	{ for (i = 3; i <= NF; i++) { split($i, kv, "="); c[kv[1]] = kv[2] }
	  if (c["received"] < 1000 || c["lost"] < 0.07 * c["received"] || c["lost"] > 0.13 * c["received"]) bad = 1
	  if (c["forwarded"] + c["lost"] + c["held"] != c["received"]) bad = 1 }
	END { exit bad || NR != 2 }' "$TMP/wan.txt"
"$LAB" --name "$LABNAME" status >"$TMP/status.txt" 2>&1
check "status shows the WAN profile" grep -q 'profile: wan: delay 50 ms +- 10 ms, loss 10 %' "$TMP/status.txt"
pid=$(sed -n 's/.*(lab-delayline, pid \([0-9]*\);.*/\1/p' "$TMP/status.txt")
"$LAB" --name "$LABNAME" down >/dev/null 2>&1
left=$(ip netns list | grep -c "^$LABNAME-wan")
alive=0 # a zombie waiting for its reaper does not count
[[ $(cat "/proc/${pid:-0}/stat" 2>/dev/null) =~ \)\ [^Z] ]] && alive=1
check "down removes NAME-wan ($left left) and stops the delay line (pid ${pid:-?})" \
	[ "${pid:+found}:$left:$alive" = found:0:0 ]

# --- Throughput: all 65535 ports at 300000 pps through the WAN and the
# router, nothing lost on the way: no cap, ring or link drop either way.
# Discovery by ICMP echo only (-PE): the SYNs counted are the port probes.
lab_again wanfast --router --delay 20
in_lab "$SYNSCAN" -q -PE --rate 300000 --min-rate 300000 -p- --max-retries 0 --wait 1 198.18.1.2 -oJ "$TMP/fast.json" >/dev/null 2>&1
"$LAB" --name "$LABNAME" wan >"$TMP/wan.txt"
sed 's/^/# /' "$TMP/wan.txt"
# shellcheck disable=SC2016 # an awk program
check "300000 pps through the delay line: every frame forwarded, both ways" awk '
	{ for (i = 3; i <= NF; i++) { split($i, kv, "="); c[kv[1]] = kv[2] }
	  if (c["forwarded"] != c["received"] || c["capped"] || c["ring_dropped"] || c["link_dropped"] || c["tx_errors"]) bad = 1 }
	END { exit bad || NR != 2 }' "$TMP/wan.txt"
check "300000 pps through the delay line: all 65535 SYNs reached the router" \
	[ "$("$LAB" --name "$LABNAME" syns)" = 65535 ]
out=$(wrong_ports "$TMP/fast.json" 198.18.1.2)
echo "# ports wrong after one pass at 300000 pps through a 40 ms WAN: $out"
finish
