#!/bin/bash
# t_allports.sh: all 65535 ports of the lab target, every state and reason equal to the lab's expectation.
# tags: lab tsan
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

lab_up allports
start=$(date +%s.%N)
in_lab "$SYNSCAN" -p- --rate 100000 198.18.0.2 -oJ "$TMP/all.json" >"$TMP/out.txt" 2>"$TMP/err.txt"
rc=$?
end=$(date +%s.%N)
check "all-ports scan exits 0 (rc=$rc)" [ "$rc" -eq 0 ]
echo "# wall time of synscan -p- --rate 100000: $(awk "BEGIN{printf \"%.2f\", $end - $start}") s"
sed 's/^/# /' "$TMP/err.txt"

expected_states >"$TMP/expect.txt"
ndjson_states "$TMP/all.json" 198.18.0.2 >"$TMP/got.txt"
same_lines "every port's state and reason equals the lab's" "$TMP/expect.txt" "$TMP/got.txt"

check "summary: all 65535 probes sent" grep -q "synscan: 65535/65535 probes sent" "$TMP/err.txt"
check "summary: no bad replies" grep -q " 0 bad," "$TMP/err.txt"
open_lines=$(grep -c '/tcp *open ' "$TMP/out.txt")
check "normal output lists the 27 open ports (got $open_lines)" [ "$open_lines" -eq 27 ]
check "normal output summarises closed ports" grep -q "^Not shown: 64340 closed tcp ports (reset)" "$TMP/out.txt"
check "normal output ends with the done line" grep -q "^synscan done: 1 IP address (1 host up)" "$TMP/out.txt"
finish
# SPDX-License-Identifier: BSD-2-Clause
