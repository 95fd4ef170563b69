#!/bin/bash
# t_usage.sh: bad command lines give exit 2 and exactly one line on stderr; missing privilege, too few file descriptors and out of memory give exit 1.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

lab_up usage

# usage_error ARGS...: exit 2, one stderr line starting "synscan: ", no stdout.
usage_error() {
	local rc lines
	in_lab "$SYNSCAN" "$@" >"$TMP/u.out" 2>"$TMP/u.err"
	rc=$?
	lines=$(wc -l <"$TMP/u.err")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q '^synscan: ' "$TMP/u.err" &&
		[ ! -s "$TMP/u.out" ]; then
		pass "usage error: $* -> $(cat "$TMP/u.err")"
	else
		fail "usage error: $* (rc=$rc, $lines stderr lines: $(head -3 "$TMP/u.err"))"
	fi
}

usage_error --bogus 198.18.0.2
usage_error -Z 198.18.0.2
usage_error
usage_error -p 70000 198.18.0.2
usage_error -p 10-5 198.18.0.2
usage_error -p '' 198.18.0.2
usage_error -p x 198.18.0.2
usage_error -p
usage_error 198.18.0.0/33
usage_error 198.18.0.256
usage_error not_an_address
usage_error --rate 0 198.18.0.2
usage_error --rate abc 198.18.0.2
usage_error --rate -5 198.18.0.2
usage_error --rate 1e12 198.18.0.2
usage_error --wait -1 198.18.0.2
usage_error --wait forever 198.18.0.2
usage_error -e nosuchif0 198.18.0.2
usage_error -e "" 198.18.0.2
usage_error -g 0 198.18.0.2
usage_error -g 65536 198.18.0.2
usage_error --router-mac 02:00:00:00:00 198.18.0.2
usage_error -S 198.18.0 198.18.0.2
usage_error --seed -1 198.18.0.2
usage_error --sender-threads 0 198.18.0.2
usage_error --sender-threads 17 198.18.0.2
usage_error --send-mode fast 198.18.0.2
usage_error --max-retries 51 198.18.0.2
usage_error --max-retries -1 198.18.0.2
usage_error --min-rate 5000 --max-rate 100 198.18.0.2
usage_error --shard 0/3 198.18.0.2
usage_error --shard 4/3 198.18.0.2
usage_error --top-ports 0 198.18.0.2
usage_error --resume
usage_error -iL /nonexistent/targets.txt

in_lab "$SYNSCAN" --help >"$TMP/h.out" 2>&1
check "--help exits 0 and shows usage" grep -q "^Usage: synscan" "$TMP/h.out"
in_lab "$SYNSCAN" --version >"$TMP/v.out" 2>&1
check "--version names libpcap and libnet" grep -q "libpcap.*libnet" "$TMP/v.out"
check "--version: the version scripts/version gives (VERSION or git describe)" \
	grep -q "^synscan $("$TOP/scripts/version") (" "$TMP/v.out"
check "--version: the licence" grep -q "BSD 2-Clause License (SPDX: BSD-2-Clause)" "$TMP/v.out"

# Bash completion knows the flags and the send modes. The send modes come
# from the binary (--list-send-modes), so that completion runs in the lab.
comp=$(in_lab bash -c ". '$TOP/completion/synscan.bash'; COMP_WORDS=('$SYNSCAN' --send-mode t); COMP_CWORD=2; _synscan; echo \"\${COMPREPLY[*]}\"")
check "bash completion completes --send-mode t to txring ($comp)" [ "$comp" = txring ]
comp=$(in_lab bash -c ". '$TOP/completion/synscan.bash'; COMP_WORDS=('$SYNSCAN' --send-mode ''); COMP_CWORD=2; _synscan; echo \"\${COMPREPLY[*]}\"")
check "bash completion offers the send modes ($comp)" [ "$comp" = "sendmmsg txring libnet" ]
in_lab "$SYNSCAN" --list-send-modes >"$TMP/m.out" 2>"$TMP/m.err"
got="$?:$(tr '\n' ' ' <"$TMP/m.out"):$(wc -c <"$TMP/m.err")"
check "--list-send-modes: exit 0, one name a line, nothing on stderr ($got)" \
	[ "$got" = "0:sendmmsg txring libnet :0" ]
in_lab "$SYNSCAN" --help | sed -n '/^  --send-mode /,/^[A-Z]/p' >"$TMP/hm.out"
# shellcheck disable=SC2016 # an awk program
check "--help lists every send mode with its help" \
	awk 'NR == FNR { want[$1] = 1; next } $1 in want && NF > 1 { n++ } END { exit n != 3 }' "$TMP/m.out" "$TMP/hm.out"
comp=$(bash -c ". '$TOP/completion/synscan.bash'; COMP_WORDS=(synscan --stats); COMP_CWORD=1; _synscan; echo \"\${COMPREPLY[*]}\"")
check "bash completion completes --stats ($comp)" [ "$comp" = --stats-every ]
# Every option --help lists is offered by the completion.
comp=$(bash -c ". '$TOP/completion/synscan.bash'; COMP_WORDS=(synscan -); COMP_CWORD=1; _synscan; printf '%s\n' \"\${COMPREPLY[@]}\"" | sort -u)
in_lab "$SYNSCAN" --help | grep -oE -- '(^|[ ,])(-[a-zA-Z0-9]{1,2}|--[a-z][a-z-]*)' | tr -d ' ,' | sort -u >"$TMP/helpopts"
missing=$(comm -23 "$TMP/helpopts" <(printf '%s\n' "$comp") | tr '\n' ' ')
check "bash completion offers every option of --help (missing: ${missing:-none})" [ -z "$missing" ]
# The man page, --help and the completion document the same options, both
# ways: every option a man page entry (.TP) names, every option --help lists
# and every option the completion offers (-T0..-T5 counted as -T).
awk 'prev == ".TP" && /^\.B[IR]? \\-/ { print } { prev = $0 }' "$TOP/man/synscan.1" | sed 's/\\-/-/g' |
	grep -oE -- '(^|[ "])--?[a-zA-Z0-9][a-zA-Z0-9-]*' | tr -d ' "' | sed -E 's/^-T[0-5]$/-T/' | sort -u >"$TMP/manopts"
sed -E 's/^-T[0-5]$/-T/' "$TMP/helpopts" | sort -u >"$TMP/helpopts.t"
printf '%s\n' "$comp" | sed -E 's/^-T[0-5]$/-T/' | sort -u >"$TMP/compopts"
for pair in "manopts helpopts.t" "helpopts.t manopts" "manopts compopts" "compopts manopts"; do
	read -r from to <<<"$pair"
	missing=$(comm -23 "$TMP/$from" "$TMP/$to" | tr '\n' ' ')
	check "every option of $from ($(wc -l <"$TMP/$from")) is in $to (missing: ${missing:-none})" [ -z "$missing" ]
done
check "the man page documents at least 40 options" [ "$(wc -l <"$TMP/manopts")" -ge 40 ]
comp=$(bash -c ". '$TOP/completion/synscan.bash'; COMP_WORDS=(synscan diff --j); COMP_CWORD=2; _synscan; echo \"\${COMPREPLY[*]}\"")
check "bash completion knows synscan diff's --json ($comp)" [ "$comp" = --json ]

# Without CAP_NET_RAW: runtime failure, one clear line.
if command -v setpriv >/dev/null; then
	in_lab setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		"$SYNSCAN" -p 22 198.18.0.2 >"$TMP/p.out" 2>"$TMP/p.err"
	rc=$?
	check "unprivileged: exit 1 (rc=$rc)" [ "$rc" -eq 1 ]
	check "unprivileged: one line naming the missing privilege: $(cat "$TMP/p.err")" \
		grep -qx 'synscan: .*CAP_NET_RAW.*' "$TMP/p.err"
	check "unprivileged: exactly one line" [ "$(wc -l <"$TMP/p.err")" -eq 1 ]
	check "unprivileged: no report on stdout" [ ! -s "$TMP/p.out" ]
fi

# An output that cannot be written is a runtime failure before any packet.
in_lab "$SYNSCAN" -p 22 198.18.0.2 -oJ /nonexistent/dir/x.json >"$TMP/o.out" 2>"$TMP/o.err"
rc=$?
if [ "$rc" -eq 1 ] && [ "$(wc -l <"$TMP/o.err")" -eq 1 ] && [ ! -s "$TMP/o.out" ]; then
	pass "unwritable output: exit 1 with one line, no report (rc=$rc)"
else
	fail "unwritable output: exit 1 with one line, no report (rc=$rc)"
fi

# A target with no route (the lab has no default route).
in_lab "$SYNSCAN" -p 22 198.18.200.1 >"$TMP/r.out" 2>"$TMP/r.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -qx "synscan: no route to 198.18.200.1.*" "$TMP/r.err" &&
	[ "$(wc -l <"$TMP/r.err")" -eq 1 ] && [ ! -s "$TMP/r.out" ]; then
	pass "no route: exit 1, one line, no report (rc=$rc): $(cat "$TMP/r.err")"
else
	fail "no route: exit 1, one line, no report (rc=$rc): $(cat "$TMP/r.err")"
fi
# Too few file descriptors (ulimit -n, four senders each wanting a socket):
# exit 1, one line, the cause and no CAP_NET_RAW hint (that is for EPERM
# and EACCES). Whichever open hits the limit first, for every limit tried;
# at least one limit reaches the raw sockets.
emfile_bad=
raw_hit=0
for n in 6 7 8 9 10 11 12; do
	# shellcheck disable=SC2016 # the inner bash expands them
	in_lab bash -c 'ulimit -n "$1"; shift; exec "$@"' - "$n" "$SYNSCAN" -p 22 --sender-threads 4 \
		--max-retries 0 198.18.0.2 >/dev/null 2>"$TMP/f.err"
	rc=$?
	grep -q 'Too many open files' "$TMP/f.err" || continue
	if [ "$rc" -ne 1 ] || [ "$(wc -l <"$TMP/f.err")" -ne 1 ] || grep -q CAP_NET_RAW "$TMP/f.err"; then
		emfile_bad="$emfile_bad n=$n rc=$rc: $(head -2 "$TMP/f.err")"
	fi
	grep -qx 'synscan: cannot open a raw socket: Too many open files' "$TMP/f.err" && raw_hit=1
done
check "ulimit -n 6-12: exit 1, one line, no CAP_NET_RAW hint (${emfile_bad:-all})" [ -z "$emfile_bad" ]
check "ulimit -n: a raw socket that cannot open says 'Too many open files' alone" [ "$raw_hit" -eq 1 ]

# Out of memory reading a big -iL file (4 M intervals: 128 MiB; ulimit -v
# 100 MB) is a runtime failure, exit 1, saying how much was needed; not a
# usage error. (A sanitizer build reserves more than that: skipped there.)
for lo in 0 64 128 192; do
	echo "10.0-127.0-255.$(seq -s, "$lo" 2 $((lo + 62)))"
done >"$TMP/big.txt"
if in_lab bash -c 'ulimit -v 100000; exec "$@"' - "$SYNSCAN" --version >/dev/null 2>&1; then
	in_lab bash -c 'ulimit -v 100000; exec "$@"' - "$SYNSCAN" -n --list-targets -iL "$TMP/big.txt" \
		>"$TMP/m.out" 2>"$TMP/m.err"
	rc=$?
	check "-iL out of memory: exit 1 (rc=$rc)" [ "$rc" -eq 1 ]
	check "-iL out of memory: one line with the file, line and size: $(head -c 300 "$TMP/m.err")" \
		grep -qxE "synscan: $TMP/big.txt:[1-4]: out of memory for [0-9]+ target intervals at .* \([0-9.]+ MiB\)" \
		"$TMP/m.err"
	if [ "$(wc -l <"$TMP/m.err")" -eq 1 ] && [ ! -s "$TMP/m.out" ]; then
		pass "-iL out of memory: exactly one line, nothing listed"
	else
		fail "-iL out of memory: exactly one line, nothing listed"
	fi
	in_lab "$SYNSCAN" -n --list-targets -iL "$TMP/big.txt" 2>/dev/null | tail -1 >"$TMP/m.last"
	check "-iL: without the limit the same file lists (last 10.127.255.254)" \
		grep -qx 10.127.255.254 "$TMP/m.last"
else
	echo "# synscan does not start under ulimit -v 100000 (a sanitizer build): out-of-memory case skipped"
fi
# A thread that cannot start says why: RLIMIT_NPROC counts the threads of
# the user synscan becomes (daemon here, which runs nothing else): with 1
# the capture thread cannot start, with 2 a sender thread cannot.
if id daemon >/dev/null 2>&1 && [ -z "$(ps -u daemon -o pid=)" ]; then
	for u in 1 2; do
		# shellcheck disable=SC2016 # the inner bash expands them
		in_lab bash -c 'ulimit -u "$1"; shift; exec "$@"' - "$u" "$SYNSCAN" --user daemon -p 22 \
			--sender-threads 2 --max-retries 0 198.18.0.2 >/dev/null 2>"$TMP/t$u.err"
		echo "rc=$?" >>"$TMP/t$u.err"
	done
	check "ulimit -u 1: the capture thread's failure says why: $(head -1 "$TMP/t1.err")" \
		grep -qx 'synscan: cannot start the capture thread: Resource temporarily unavailable' \
		"$TMP/t1.err"
	check "ulimit -u 2: a sender thread's failure says why: $(head -1 "$TMP/t2.err")" \
		grep -qx 'synscan: cannot start a sender thread: Resource temporarily unavailable' \
		"$TMP/t2.err"
	# shellcheck disable=SC2016 # the inner bash expands them
	check "ulimit -u: exit 1 both times" \
		bash -c 'grep -qx rc=1 "$1" && grep -qx rc=1 "$2"' - "$TMP/t1.err" "$TMP/t2.err"
else
	echo "# user daemon missing or running processes: the thread-start cases are skipped"
fi
finish
# SPDX-License-Identifier: BSD-2-Clause
