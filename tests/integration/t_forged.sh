#!/bin/bash
# t_forged.sh: >= 100,000 forged replies during a scan change no result and are counted as bad.
# tags: lab tsan
#
# tests/tools/forge runs in the lab's target namespace and, from the scan's
# first SYN on, floods the scanner with frames that look like answers but
# are not: SYN-ACKs and RSTs with wrong cookies, from an address not scanned,
# to another address or to ports we do not send from, ICMP unreachables
# quoting someone else's probe or cut short, bad TCP data offsets, IP lengths
# beyond the frame, bad versions, option garbage, fragments; and answers
# to probes forge saw on the wire with one detail off (ack ISN or ISN + 2,
# the right ack from another address or port, a quote with seq ISN + 1).
# The scan's states must equal a clean scan's (and the lab's expectation).
#
# Which forged frames can synscan count? Only those its capture filter
# passes: the kernel drops the others (ports we do not send from, ACK-only
# segments, echo replies, IPv4 fragments) before userspace; IPv6 frames
# with extension headers (fragments, hop-by-hop garbage) pass whole, for
# the parser to walk, and must be bad. forge says per kind which is which (written for the filter
# of open_capture in src/engine/scan.c, checked against it with
# pcap_offline_filter over a --pcap run) and prints the total that reaches
# the validator, R. Every such frame is parsed (and must be bad), or lost
# in a full capture ring (the summary's "capture drops", D), or dropped by
# veth before any capture sees it (s0's rx_dropped, V), so
#   R - D - V <= bad.
# Frames that are neither forged nor a first answer (duplicates, ARP, and
# the target firewall's ICMP errors about the RSTs our kernel sends back to
# forged SYN-ACKs: these are bad too) are the rest of s0's receive counter X:
#   bad <= R + (X + V - forged - replies).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

FORGE=${FORGE:-$(dirname "$SYNSCAN")/tests/tools/forge}
if [ ! -x "$FORGE" ]; then
	fail "forge is built ($FORGE; 'make check TESTS=' builds it)"
	finish
	exit 1
fi

# refused RC FILE: forge exited 2 (usage) and wrote no frame.
refused() { [ "$1" -eq 2 ] && [ ! -e "$2" ]; }

lab_up forged
# forge refuses destinations outside the lab's ranges (--pcap: nothing is
# sent even if it did not; and it runs inside the lab all the same).
for bad_dst in 192.0.2.1 198.20.0.1 2001:db9::1 8.8.8.8; do
	in_lab "$FORGE" --src 198.18.0.2 --dst "$bad_dst" --count 1 --pcap "$TMP/refused.pcap" 2>/dev/null
	check "forge refuses destination $bad_dst" refused $? "$TMP/refused.pcap"
done
scan_mac=$(ip netns exec "$LABNAME-scan" cat /sys/class/net/s0/address)

# rx_stat NAME: s0's receive counter NAME (rx_packets, rx_dropped).
rx_stat() { ip netns exec "$LABNAME-scan" cat "/sys/class/net/s0/statistics/$1"; }

# field FILE WORDS: the number before WORDS in synscan's summary ("bad", "replies", …).
field() { sed -n "s/.* \([0-9][0-9]*\) $2[a-z]*, .*/\1/p" "$1" | head -1; } # "1 reply," "2 replies,"

# clean TAG TARGET SYNSCAN-ARGS...: a scan without forgery; states must be the lab's.
clean() {
	local tag=$1 target=$2 rc
	shift 2
	in_lab "$SYNSCAN" "$@" --seed 7 "$target" -oJ "$TMP/$tag-clean.json" >/dev/null \
		2>"$TMP/$tag-clean.err"
	rc=$?
	check "$tag clean scan: exit 0" [ "$rc" -eq 0 ]
	check "$tag clean scan: no bad replies" [ "$(field "$TMP/$tag-clean.err" bad)" = 0 ]
	ndjson_states "$TMP/$tag-clean.json" "$target" >"$TMP/$tag-clean.states"
	same_lines "$tag clean scan: states and reasons as the lab expects" "$TMP/$tag.expect" \
		"$TMP/$tag-clean.states"
}

# forged TAG TARGET SCANNER COUNT SECS SYNSCAN-ARGS...: the same scan while forge sends
# COUNT forged replies from TARGET (starting at the scan's first SYN, for at most SECS).
forged() {
	local tag=$1 target=$2 me=$3 count=$4 secs=$5 fpid spid frc src alive rx0 v0 x v
	local sent reach fsecs bad replies drops elapsed
	shift 5
	rx0=$(rx_stat rx_packets)
	v0=$(rx_stat rx_dropped)
	timeout 60 ip netns exec "$LABNAME-tgt" "$FORGE" -i t0 --src "$target" --dst "$me" \
		--dst-mac "$scan_mac" --count "$count" --rate 100000 --duration "$secs" \
		--wait-syn 10 >"$TMP/$tag.forge" 2>&1 &
	fpid=$!
	in_lab "$SYNSCAN" "$@" --seed 7 "$target" -oJ "$TMP/$tag-forged.json" >/dev/null \
		2>"$TMP/$tag-forged.err" &
	spid=$!
	wait "$fpid"
	frc=$?
	kill -0 "$spid" 2>/dev/null
	alive=$?
	wait "$spid"
	src=$?
	x=$(($(rx_stat rx_packets) - rx0))
	v=$(($(rx_stat rx_dropped) - v0))
	sed -n 's/^forge: sent/# '"$tag"' forge: sent/p' "$TMP/$tag.forge"
	sed 's/^/# /' "$TMP/$tag-forged.err"
	read -r sent fsecs reach < <(sed -n \
		's/^forge: sent \([0-9]*\) frames in \([0-9.]*\) s .*, \([0-9]*\) reach.*/\1 \2 \3/p' \
		"$TMP/$tag.forge")
	bad=$(field "$TMP/$tag-forged.err" bad)
	replies=$(field "$TMP/$tag-forged.err" repl)
	drops=$(field "$TMP/$tag-forged.err" "capture drop")
	elapsed=$(sed -n 's/.* \([0-9.]*\) s elapsed.*/\1/p' "$TMP/$tag-forged.err")
	: "${sent:=0}" "${reach:=0}" "${fsecs:=0}" "${bad:=0}" "${replies:=0}" "${drops:=0}"
	echo "# $tag: forged $sent in $fsecs s, $reach reach the validator; bad $bad," \
		"replies $replies, capture drops $drops, s0 received $x (veth drops $v); scan $elapsed s"
	check "$tag: forge exit 0" [ "$frc" -eq 0 ]
	check "$tag: scan exit 0" [ "$src" -eq 0 ]
	check "$tag: forge sent >= $count frames ($sent)" [ "$sent" -ge "$count" ]
	check "$tag: the scan outlasted the forgery" [ "$alive" -eq 0 ]
	check "$tag: s0 received the forged frames and the replies ($x + $v >= $sent + $replies)" \
		[ $((x + v)) -ge $((sent + replies)) ]
	check "$tag: bad > 0" [ "$bad" -gt 0 ]
	check "$tag: bad >= frames reaching the validator - drops ($bad >= $reach - $drops - $v)" \
		[ "$bad" -ge $((reach - drops - v)) ]
	check "$tag: bad <= frames reaching the validator + other frames received" \
		[ "$bad" -le $((reach + x + v - sent - replies)) ]
	ndjson_states "$TMP/$tag-forged.json" "$target" >"$TMP/$tag-forged.states"
	same_lines "$tag: states and reasons as in the clean scan" "$TMP/$tag-clean.states" \
		"$TMP/$tag-forged.states"
}

# IPv4: every port. The scan at 10000 pps lasts >= 6.5 s from its first
# SYN; forge's 100,000 frames take 1-2.5 s here and are cut off at 5 s, so
# the capture is open while every one arrives.
expected_states >"$TMP/v4.expect"
clean v4 198.18.0.2 -p- --rate 100000
forged v4 198.18.0.2 198.18.0.1 100000 5 -p- --rate 10000

# IPv6: fewer ports and frames (>= 3.3 s of scan, forge cut off at 2.5 s).
expected_states -6 1-20000 >"$TMP/v6.expect"
clean v6 2001:db8::2 -p 1-20000 --rate 100000
forged v6 2001:db8::2 2001:db8::1 30000 2.5 -p 1-20000 --rate 6000
finish
# SPDX-License-Identifier: BSD-2-Clause
