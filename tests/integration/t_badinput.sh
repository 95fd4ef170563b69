#!/bin/bash
# t_badinput.sh: every case of the bad-input corpus (tests/badinput) gives its exit status and one clear stderr line, never a crash or a hang.
# tags: lab
#
# The corpus, and the command each kind of case runs (in the lab's scanner
# namespace, each bounded by `timeout 10`):
#   args.txt        synscan WORDS            one bad command line a line (its
#                                            header comment gives the names:
#                                            $T, $BAD, $TMP, $DIR, $MISSING,
#                                            $LONG); "exit=1 " before the
#                                            words expects status 1
#   policies/*      synscan --expect FILE -p 22 198.18.0.2
#   resumes/*       synscan --resume FILE    (run from a directory where
#                                            tests/ leads to the corpus: a
#                                            resume file may name itself)
#   targets/*       synscan -n -iL FILE -p 22   (-n: no name is ever looked up)
# Every file case expects the usage status 2 (man/synscan.1: 0 ok, 1 runtime
# failure, 2 usage, 3 deviation), unless its name ends in "-exitN" before the
# extension (say "foo-exit1.resume"), which expects status N.
# Each case must give: the expected status (not a timeout or a signal),
# exactly one stderr line, "synscan: " and a message, nothing on stdout, and no
# sanitizer report (an ASan/UBSan build: "ERROR: AddressSanitizer",
# "runtime error:" ...). One check per kind lists every failing case by name;
# one more checks that the corpus holds at least 100 cases. BADINPUT_SHOW=1
# also prints every case with its stderr.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

BAD=$TOP/tests/badinput
CASES=$TMP/cases
mkdir -p "$CASES" "$TMP/dir" "$TMP/cwd"
# Outputs a case might open land in cwd; tests/ lets a resume file name itself.
ln -s "$TOP/tests" "$TMP/cwd/tests"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# The names args.txt uses (see its header comment).
T=198.18.0.2
DIR=$TMP/dir
MISSING=$TMP/missing
LONG=$(head -c 102400 /dev/zero | tr '\0' a)
export T BAD TMP DIR MISSING LONG

ncases=0
# add_case KIND LABEL STATUS WORDS...: one case, its words NUL-separated.
add_case() {
	local id
	id=$(printf '%04d' "$ncases")
	ncases=$((ncases + 1))
	printf '%s\t%s\t%s\n' "$id" "$1" "$3" >>"$CASES/index"
	printf '%s\n' "$2" >"$CASES/$id.label"
	shift 3
	if [ $# -gt 0 ]; then printf '%s\0' "$@"; fi >"$CASES/$id.args"
}

# The expected status of a file case: 2, or N for a name ending "-exitN.EXT".
file_status() {
	local base=${1##*/}
	base=${base%.*}
	case $base in
	*-exit[0-9]) echo "${base##*-exit}" ;;
	*) echo 2 ;;
	esac
}

lineno=0
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	case $line in '' | '#'*) continue ;; esac
	status=2
	words=$line
	if [ "${line#exit=1 }" != "$line" ]; then
		status=1
		words=${line#exit=1 }
	fi
	# The corpus line is shell words: quotes, $'..' escapes and the names above.
	eval "set -- $words"
	add_case args "args.txt:$lineno: ${line:0:120}" "$status" "$@"
done <"$BAD/args.txt"
for f in "$BAD"/policies/*; do
	add_case policies "policies/${f##*/}" "$(file_status "$f")" --expect "$f" -p 22 "$T"
done
for f in "$BAD"/resumes/*; do
	add_case resumes "resumes/${f##*/}" "$(file_status "$f")" --resume "tests/badinput/resumes/${f##*/}"
done
for f in "$BAD"/targets/*; do
	add_case targets "targets/${f##*/}" "$(file_status "$f")" -n -iL "$f" -p 22
done

# run_cases SYNSCAN DIR: runs every case of DIR/index, each bounded to 10 s,
# keeping its stdout, stderr and status. One bash in the lab runs them all.
run_cases() {
	local id args
	while IFS=$'\t' read -r id _; do
		args=()
		mapfile -d '' -t args <"$2/$id.args"
		timeout -k 2 10 "$1" "${args[@]+"${args[@]}"}" </dev/null >"$2/$id.out" 2>"$2/$id.err"
		echo $? >"$2/$id.rc"
	done <"$2/index"
}

start=$SECONDS
lab_up badinput
(cd "$TMP/cwd" && in_lab bash -c "$(declare -f run_cases); run_cases \"\$@\"" run "$SYNSCAN" "$CASES")
echo "# $ncases cases in $((SECONDS - start)) s (lab set-up included)"

# verdict ID STATUS: empty when the case behaved, else why not.
verdict() {
	local id=$1 want=$2 rc lines why=()
	rc=$(cat "$CASES/$id.rc" 2>/dev/null || echo none)
	lines=$(wc -l <"$CASES/$id.err")
	case $rc in
	124 | 137) why+=("timed out") ;;
	"$want") ;;
	1[3-9][0-9] | 2[0-9][0-9]) why+=("killed by signal $((rc - 128))") ;;
	*) why+=("exit $rc, want $want") ;;
	esac
	if grep -qE 'ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|SUMMARY: [A-Za-z]+Sanitizer' \
		"$CASES/$id.err"; then
		why+=("sanitizer report")
	fi
	[ "$lines" -eq 1 ] || why+=("$lines stderr lines")
	head -1 "$CASES/$id.err" | grep -q '^synscan: [^ ]' ||
		why+=("stderr is not 'synscan: ' and a message")
	[ -s "$CASES/$id.out" ] && why+=("stdout: $(head -c 80 "$CASES/$id.out" | tr '\n' ' ')")
	if [ ${#why[@]} -gt 0 ]; then
		local IFS=';'
		echo "${why[*]}"
	fi
}

for kind in args policies resumes targets; do
	n=0
	bad=0
	: >"$TMP/failing"
	while IFS=$'\t' read -r id k want; do
		[ "$k" = "$kind" ] || continue
		n=$((n + 1))
		reason=$(verdict "$id" "$want")
		if [ -n "${BADINPUT_SHOW:-}" ]; then
			printf '# %s\n#   -> %s\n' "$(cat "$CASES/$id.label")" "$(head -c 300 "$CASES/$id.err")"
		fi
		[ -z "$reason" ] && continue
		bad=$((bad + 1))
		{
			echo "  $(cat "$CASES/$id.label")"
			echo "    -> $reason"
			head -3 "$CASES/$id.err" | cut -c1-200 | sed 's/^/    | /'
		} >>"$TMP/failing"
	done <"$CASES/index"
	check "$kind: all $n cases give their status and one 'synscan: ' line ($bad failing)" \
		[ $((n > 0 && bad == 0)) -eq 1 ]
	cat "$TMP/failing"
done
check "the corpus holds at least 100 cases ($ncases)" [ "$ncases" -ge 100 ]
finish
# SPDX-License-Identifier: BSD-2-Clause
