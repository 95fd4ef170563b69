#!/bin/bash
# t_term.sh: the status line on a pseudo-terminal (tests/integration/ptyrun.py): fitted to 80 and 40 columns, cleared before -v's lines, keys (Enter, V, d), the terminal's settings restored after a normal end, Ctrl-C and Ctrl-\.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

PTY=$TOP/tests/integration/ptyrun.py
lab_up term
ARGS=(-p 1-6000 --rate 2000 --max-retries 0 --wait 0.2 --pause-file "$TMP/p.resume" 198.18.0.2)

# pty COLS LOG KEYS SYNSCAN-ARGS...: synscan on a COLS-column pty in the lab, KEYS typed
# once its status line is up; ptyrun's verdict on the settings in LOG.verdict, exit status in LOG.rc.
pty() {
	local cols=$1 log=$2 keys=$3
	shift 3
	(
		ulimit -c 0
		timeout 100 python3 "$PTY" run --cols "$cols" --log "$log" --key "$keys" -- \
			ip netns exec "$LABNAME-scan" "$SYNSCAN" "$@" >"$log.verdict"
		echo $? >"$log.rc"
	)
}
# draws LOG: every drawing in LOG, one per \r or \n; shown COLS LOG: the lines LOG leaves.
draws() { tr '\r' '\n' <"$1"; }
shown() { python3 "$PTY" lines --cols "$1" "$2"; }

# -v at 80 columns, Enter, then V and v.
pty 80 "$TMP/v80" '\nVv' -v "${ARGS[@]}"
check "80 columns, -v: exit 0" [ "$(cat "$TMP/v80.rc")" = 0 ]
check "80 columns: the terminal's settings are as before" grep -qx 'termios same' "$TMP/v80.verdict"
verdict=$(python3 "$PTY" check --cols 80 "$TMP/v80")
check "80 columns: no status line reaches column 80, none mixed with other lines" [ "$verdict" = clean ]
[ "$verdict" = clean ] || echo "$verdict" | head -5 | sed 's/^/# /'
shown 80 "$TMP/v80" >"$TMP/v80.shown"
redraws=$(draws "$TMP/v80" | grep -c '% done, .* pps, .* open, ETA')
check "80 columns: the status line redrawn in place ($redraws draws)" [ "$redraws" -ge 5 ]
check "the -v line 'Discovered open port' on a line of its own" \
	grep -qx 'Discovered open port [0-9]*/tcp on 198.18.0.2' "$TMP/v80.shown"
check "Enter: a 'Stats:' line with the whole status, wrapped to 80 columns" \
	grep -qx 'Stats: .* elapsed, .*% done, .* sent, .* replies, .* open,' "$TMP/v80.shown"
check "Enter: the rest of the status on the next line" grep -qx ' pass 0, ETA [0-9:]*' "$TMP/v80.shown"
check "V, v: verbosity lowered to 0, raised to 1, said on lines of their own" \
	bash -c "grep -qx 'synscan: verbosity lowered to 0' '$TMP/v80.shown' &&
		grep -qx 'synscan: verbosity raised to 1' '$TMP/v80.shown'"
check "the report follows the cleared line" grep -q 'synscan done: 1 IP address (1 host up)' "$TMP/v80"

# 40 columns, and d: the pace's notes (long lines, written once) between redraws.
pty 40 "$TMP/d40" 'd' "${ARGS[@]}"
if [ "$(cat "$TMP/d40.rc")" = 0 ] && grep -qx 'termios same' "$TMP/d40.verdict"; then
	pass "40 columns, d: exit 0, settings as before"
else
	fail "40 columns, d: exit 0, settings as before"
fi
verdict=$(python3 "$PTY" check --cols 40 "$TMP/d40")
check "40 columns: every status line within 39 columns" [ "$verdict" = clean ]
[ "$verdict" = clean ] || echo "$verdict" | head -5 | sed 's/^/# /'
shown 40 "$TMP/d40" >"$TMP/d40.shown"
check "40 columns: done, open and ETA stay" grep -q '% done, .*[0-9]* open, ETA [0-9:]*' <(draws "$TMP/d40")
check "d: debugging raised to 2, then the pace's judgements" \
	bash -c "grep -q 'debugging raised to 2 (debugging on)' '$TMP/d40' && grep -q 'synscan: [0-9.]* s pace: window' '$TMP/d40'"

# Stopped from the keyboard: Ctrl-C (an interrupted scan), Ctrl-\ (SIGQUIT kills).
LONG=(-p 1-60000 --rate 2000 --max-retries 0 --wait 0.2 --pause-file "$TMP/q.resume" 198.18.0.2)
pty 80 "$TMP/int" '\x03' "${LONG[@]}"
check "Ctrl-C: the scan stops as interrupted" grep -q 'interrupted' "$TMP/int"
check "Ctrl-C: the terminal's settings are as before" grep -qx 'termios same' "$TMP/int.verdict"
pty 80 "$TMP/quit" '\x1c' "${LONG[@]}"
check "Ctrl-\\: killed by SIGQUIT (exit $(cat "$TMP/quit.rc"))" [ "$(cat "$TMP/quit.rc")" = 131 ]
check "Ctrl-\\: the terminal's settings are as before" grep -qx 'termios same' "$TMP/quit.verdict"

# stdin not a terminal (stderr is): the status line, no keys, settings untouched.
pty 80 "$TMP/nokeys" '' "${ARGS[@]}" </dev/null
if [ "$(cat "$TMP/nokeys.rc")" = 0 ] && grep -qx 'termios same' "$TMP/nokeys.verdict"; then
	pass "stdin from /dev/null on a pty: exit 0, settings as before"
else
	fail "stdin from /dev/null on a pty: exit 0, settings as before"
fi
finish
# SPDX-License-Identifier: BSD-2-Clause
