#!/bin/bash
# t_router.sh: a lab target behind a second namespace acting as router: every port exact, TTLs one lower, and under loss.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

lab_up router --router
in_lab "$SYNSCAN" -q -p- --rate 100000 198.18.1.2 -oJ "$TMP/r.json" >/dev/null
check "scan through the router exits 0" [ $? -eq 0 ]
out=$(wrong_ports "$TMP/r.json" 198.18.1.2)
check "all 65535 ports of 198.18.1.2 behind the router exact (wrong: $out)" [ "${out%% *}" = 0 ]
check "TTL of answers is 63 (one hop)" grep -q '"port":22,"proto":"tcp","state":"open","reason":"syn-ack","ttl":63' "$TMP/r.json"
check "ICMP answers from behind the router" grep -q '"port":30000,"proto":"tcp","state":"filtered","reason":"admin-prohibited","ttl":63' "$TMP/r.json"
in_lab "$SYNSCAN" -q -p 20-25,80,135 --wait 0.3 198.19.3.4 -oJ "$TMP/g.json" >/dev/null
check "198.19.0.0/16 behind the router answers" grep -q '"ip":"198.19.3.4","port":80,"proto":"tcp","state":"open"' "$TMP/g.json"
"$LAB" --name "$LABNAME" loss 10 >/dev/null
in_lab "$SYNSCAN" -q -p- --rate 100000 198.18.1.2 -oJ "$TMP/l.json" >/dev/null
out=$(wrong_ports "$TMP/l.json" 198.18.1.2)
check "behind the router with 10 % SYN loss: exact (wrong: $out)" [ "${out%% *}" = 0 ]
finish
# SPDX-License-Identifier: BSD-2-Clause
