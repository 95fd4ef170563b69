#!/bin/bash
# t_loss.sh: exact verdicts under random SYN loss: 20 all-ports runs at 5 % (defaults) and 20 at 20 % (--max-retries 4).
# tags: lab
# Not tagged tsan: exact verdicts at full speed need every capture, which TSan's 5-15x slowdown drops.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

RUNS=${LOSS_RUNS:-20}
lab_up loss

# runs PCT ARGS...: RUNS scans of all ports; passes when every run is exact.
runs() {
	local pct=$1 bad=0 i out wrong t0 t1 slowest=0
	shift
	ip netns exec "$LABNAME-tgt" nft delete table inet loss 2>/dev/null
	loss_on "$LABNAME-tgt" "$pct"
	for i in $(seq "$RUNS"); do
		t0=$(date +%s%N)
		in_lab "$SYNSCAN" -d -p- --rate 100000 "$@" 198.18.0.2 -oJ "$TMP/r.json" \
			>/dev/null 2>"$TMP/r.err"
		t1=$(date +%s%N)
		slowest=$(((t1 - t0) / 1000000 > slowest ? (t1 - t0) / 1000000 : slowest))
		out=$(wrong_ports "$TMP/r.json" 198.18.0.2)
		wrong=${out%% *}
		if [ "$wrong" != 0 ] || [ $((t1 - t0)) -gt 10000000000 ]; then
			[ "$wrong" != 0 ] && bad=$((bad + 1))
			echo "# run $i at $pct %: $out, $(((t1 - t0) / 1000000)) ms; what the pace and passes did:"
			grep -E 'capped|capture|late|pass [0-9]|probes sent' "$TMP/r.err" | head -20 | sed 's/^/#   /'
		fi
	done
	echo "# $RUNS runs at $pct % loss: slowest $slowest ms"
	check "$pct % SYN loss $*: all 65535 ports exact in $RUNS runs of $RUNS" [ "$bad" -eq 0 ]
}

runs 5
runs 20 --max-retries 4

# The ICMP-rejected ranges stay filtered under the kernel's usual ICMP limits.
"$LAB" --name "$LABNAME" down >/dev/null 2>&1
lab_up icmplimit --icmp-ratelimit 1000
in_lab "$SYNSCAN" -q -p 9001,30000-30159 --rate 100000 198.18.0.2 -oJ "$TMP/i.json" >/dev/null
ndjson_states "$TMP/i.json" 198.18.0.2 >"$TMP/i.txt"
check "ICMP rate-limited target: all 161 rejected ports filtered" \
	[ "$(grep -c ' filtered ' "$TMP/i.txt")" -eq 161 ]
echo "# reasons seen: $(cut -d' ' -f3 "$TMP/i.txt" | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
finish
# SPDX-License-Identifier: BSD-2-Clause
