#!/bin/bash
# t_status.sh: progress reporting: the live status line on a terminal (a pty via script), --stats-every lines, --status-json records, -q, -v.
# tags: lab tsan
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

lab_up status
ARGS=(-p 1-3000 --rate 3000 --max-retries 0 --wait 0.2 198.18.0.2)

# On a terminal: one line redrawn in place with \r.
if command -v script >/dev/null; then
	timeout 60 script -qfec "ip netns exec $LABNAME-scan $SYNSCAN ${ARGS[*]} -oJ $TMP/t.json >/dev/null" \
		"$TMP/tty.log" >/dev/null 2>&1
	check "status line on a terminal: exit 0" [ $? -eq 0 ]
	redraws=$(tr '\r' '\n' <"$TMP/tty.log" | grep -c '% done, .* pps, .* open, .*ETA')
	check "status line redrawn in place ($redraws draws)" [ "$redraws" -ge 3 ]
	check "the line shows progress to 100 %" grep -q '100.0% done' "$TMP/tty.log"
	check "the summary follows on its own line" grep -q 'synscan: 3000/3000 probes sent' "$TMP/tty.log"
fi

# Not a terminal: nothing by default, lines with --stats-every.
in_lab "$SYNSCAN" "${ARGS[@]}" -oJ /dev/null >/dev/null 2>"$TMP/plain.err"
check "no status lines on a pipe by default" [ "$(grep -c 'done, ' "$TMP/plain.err")" -eq 0 ]
in_lab "$SYNSCAN" "${ARGS[@]}" --stats-every 0.2 -oJ /dev/null >/dev/null 2>"$TMP/every.err"
n=$(grep -c '^synscan: .* elapsed, .*% done' "$TMP/every.err")
check "--stats-every 0.2 over ~1 s: several lines ($n)" [ "$n" -ge 3 ]

# --status-json: NDJSON records, the last one complete.
# Its last record's counts are the scan's own (the summary's replies, the
# open ports of -oJ): a busy machine may lose an answer or two without
# retries, and the record must say so too.
in_lab "$SYNSCAN" "${ARGS[@]}" --status-json "$TMP/status.json" -oJ "$TMP/sj.json" >/dev/null 2>"$TMP/sj.err"
replies=$(sed -n 's|^synscan: 3000/3000 probes sent .*, \([0-9]*\) repl[a-z]*, .*|\1|p' "$TMP/sj.err")
opens=$(grep -c '"state":"open"' "$TMP/sj.json")
[ "${replies:-0}" -ge 2900 ] && [ "$opens" -ge 2 ]
verdict $? "--status-json: the scan itself: 3000 sent, most answered (${replies:-?} replies, $opens open)"
check "--status-json: valid records, the last at 100 % with the scan's counts" \
	labcheck status-json "$TMP/status.json" 3000 "$opens" "${replies:-0}"

# -q: silent stderr; -v: open ports as found and the passes.
in_lab "$SYNSCAN" -q "${ARGS[@]}" --stats-every 0.2 -oJ /dev/null >/dev/null 2>"$TMP/q.err"
check "-q: nothing on stderr" [ ! -s "$TMP/q.err" ]
in_lab "$SYNSCAN" -v "${ARGS[@]}" >"$TMP/v.out" 2>"$TMP/v.err"
check "-v: open ports reported as found" grep -qx 'Discovered open port 22/tcp on 198.18.0.2' "$TMP/v.out"
check "-v: the pass table" grep -q '^synscan: pass 0: 3000 frames (1 copy of each probe)' "$TMP/v.err"
finish
# SPDX-License-Identifier: BSD-2-Clause
