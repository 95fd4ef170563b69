#!/bin/bash
# t_shards.sh: three shards run in parallel in three labs probe the union exactly once and agree with the unsharded scan.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

N=3
# Discovery by ICMP echo only (-PE): the SYNs counted are the port probes
# (the default -PS443 would add one SYN to port 443 of each target).
ARGS=(-q -PE -p 1-100 --rate 20000 --wait 0.5 --seed 4242 198.19.0.0/26)
lab_up shards
syn_counter_on "$LABNAME-tgt"
in_lab "$SYNSCAN" "${ARGS[@]}" -oJ "$TMP/all.json" >/dev/null
check "unsharded scan exits 0" [ $? -eq 0 ]

pids=()
for i in $(seq $N); do
	lab=it-shard$i-$$
	EXTRA_LABS+=("$lab")
	"$LAB" --name "$lab" up >/dev/null 2>&1 || fail "lab $lab up"
	syn_counter_on "$lab-tgt"
done
for i in $(seq $N); do
	timeout 120 ip netns exec "it-shard$i-$$-scan" "$SYNSCAN" "${ARGS[@]}" --shard "$i/$N" \
		-oJ "$TMP/shard$i.json" >/dev/null 2>"$TMP/shard$i.err" &
	pids+=($!)
done
for i in $(seq $N); do
	wait "${pids[$((i - 1))]}"
	check "shard $i/$N exits 0" [ $? -eq 0 ]
done

for f in "$TMP"/shard*.json; do ndjson_ports "$f"; done | sort >"$TMP/union.txt"
ndjson_ports "$TMP/all.json" | sort >"$TMP/all.txt"
same_lines "union of the shards' results equals the unsharded scan" "$TMP/all.txt" "$TMP/union.txt"
if [ "$(wc -l <"$TMP/union.txt")" -eq 6400 ] && \
	[ "$(sort -u "$TMP/union.txt" | wc -l)" -eq 6400 ]; then
	pass "6400 results, no port reported by two shards"
else
	fail "6400 results, no port reported by two shards"
fi

for i in $(seq $N); do syn_counts "it-shard$i-$$-tgt"; done | sort >"$TMP/shard-syns.txt"
syn_counts "$LABNAME-tgt" | sort >"$TMP/all-syns.txt"
check "every probe of the unsharded scan sent exactly once" \
	awk 'END{exit !(NR == 6400 && bad == 0)} $3 != 1 {bad++}' "$TMP/all-syns.txt"
check "shards together sent every probe exactly once" \
	awk 'END{exit !(NR == 6400 && bad == 0)} $3 != 1 {bad++}' "$TMP/shard-syns.txt"
sizes=$(for i in $(seq $N); do ndjson_ports "$TMP/shard$i.json" | wc -l; done | tr '\n' ' ')
echo "# shard sizes: $sizes"
finish
# SPDX-License-Identifier: BSD-2-Clause
