#!/bin/bash
# t_sendpaths.sh: every sender configuration gives the exact all-ports result; resume works with two sender threads.
# tags: lab tsan
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

lab_up sendpaths
for cfg in "--sender-threads 2" "--send-mode txring" "--send-mode txring --sender-threads 2" \
	"--send-mode libnet" "--rate 100000000"; do
	# shellcheck disable=SC2086 # cfg is words
	in_lab "$SYNSCAN" -q -p- --rate 200000 $cfg 198.18.0.2 -oJ "$TMP/s.json" >/dev/null 2>"$TMP/s.err"
	rc=$?
	out=$(wrong_ports "$TMP/s.json" 198.18.0.2)
	if [ "$rc" -eq 0 ] && [ "${out%% *}" = 0 ]; then
		pass "$cfg: exit $rc, all 65535 ports exact (wrong: $out)"
	else
		fail "$cfg: exit $rc, all 65535 ports exact (wrong: $out)"
	fi
done

# Two senders interrupted: each resumes at its own position; every probe once.
syn_counter_on "$LABNAME-tgt"
# Discovery by ICMP echo only (-PE): the SYNs counted are the port probes
# (the default -PS443 would add one SYN to port 443 of each target).
ARGS=(-q -PE -p 1-1000 --rate 4000 --wait 0.3 --seed 3 --max-retries 0 --sender-threads 2 198.19.0.0/30)
ip netns exec "$LABNAME-scan" "$SYNSCAN" "${ARGS[@]}" --pause-file "$TMP/p.resume" \
	-oJ "$TMP/part.json" >/dev/null 2>&1 &
pid=$!
sleep 0.6
kill -INT $pid
wait $pid
check "two senders interrupted: resume file has two positions" grep -qE '^next [0-9]+,[0-9]+$' "$TMP/p.resume"
in_lab "$SYNSCAN" --resume "$TMP/p.resume" >/dev/null 2>&1
check "resumed with two senders: exit 0" [ $? -eq 0 ]
syn_counts "$LABNAME-tgt" >"$TMP/syns.txt"
check "two senders, interrupted and resumed: 4000 probes, each sent once" \
	awk 'END{exit !(NR == 4000 && bad == 0)} $3 != 1 {bad++}' "$TMP/syns.txt"
check "two senders, interrupted and resumed: 4000 results" [ "$(ndjson_ports "$TMP/part.json" | sort -u | wc -l)" -eq 4000 ]
finish
# SPDX-License-Identifier: BSD-2-Clause
