#!/bin/bash
# t_nmap.sh: nmap -sS and synscan agree on the state of every port of the lab target.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

command -v nmap >/dev/null || skip_all "nmap is not installed (scripts/deps installs it)"
lab_up nmap
in_lab "$SYNSCAN" -p- --rate 50000 -q 198.18.0.2 -oJ "$TMP/syn.json" >/dev/null
check "synscan exits 0" [ $? -eq 0 ]
start=$(date +%s.%N)
in_lab nmap -sS -T4 -n -Pn -p- 198.18.0.2 -oX "$TMP/nmap.xml" >/dev/null
check "nmap exits 0" [ $? -eq 0 ]
echo "# nmap -sS -T4 -p- wall time: $(awk "BEGIN{printf \"%.2f\", $(date +%s.%N) - $start}") s"

# nmap lists only the interesting ports; <extraports> hold the rest, with
# their port ranges in <extrareasons ports="…">.
nmap_states "$TMP/nmap.xml" >"$TMP/nmap.txt"
ndjson_states "$TMP/syn.json" 198.18.0.2 | cut -d' ' -f1,2 >"$TMP/syn.txt"
same_lines "nmap and synscan agree on all 65535 ports" "$TMP/nmap.txt" "$TMP/syn.txt"
finish
# SPDX-License-Identifier: BSD-2-Clause
