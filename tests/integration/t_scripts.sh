#!/bin/bash
# t_scripts.sh: every script in scripts/ answers --help and -h with its usage on stdout and exit 0, in an empty network namespace, creating nothing (no file beside it, no build directory, no lab namespace); and no integration test hides a condition behind check (tests/tools/check-chains.py).
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

EMPTY=it-help-$$
EXTRA_NS+=("$EMPTY")
ip netns add "$EMPTY"
# A copy of scripts/ in a tree of its own: whatever a script creates beside
# itself (build/, a corpus, a log) shows in the tree's listing.
tree=$TMP/tree
mkdir -p "$tree"
cp -a "$TOP/scripts" "$tree/"

# snapshot: the tree's files and the namespaces (but this suite's own "it-*"
# labs, which other tests may bring up or down meanwhile).
snapshot() {
	find "$tree" -printf '%P %s %T@\n' | sort
	ip netns list | awk '{print $1}' | grep -v '^it-' | sort
}

n=0
for s in "$tree"/scripts/*; do
	if [ ! -f "$s" ] || [ ! -x "$s" ]; then continue; fi
	name=${s##*/}
	n=$((n + 1))
	for flag in --help -h; do
		before=$(snapshot)
		SYNSCAN_LAB=helpcheck-$$ timeout 30 ip netns exec "$EMPTY" "$s" "$flag" \
			>"$TMP/out" 2>"$TMP/err" </dev/null
		rc=$?
		after=$(snapshot)
		check "$name $flag: exit 0 (got $rc)" [ "$rc" -eq 0 ]
		[ "$rc" -eq 0 ] || head -3 "$TMP/err" | sed 's/^/# /'
		check "$name $flag: its usage on stdout" grep -qi 'usage' "$TMP/out"
		if [ "$before" = "$after" ]; then
			pass "$name $flag: nothing created"
		else
			fail "$name $flag: something created"
			diff <(echo "$before") <(echo "$after") | head -5 | sed 's/^/# /'
		fi
	done
done
check "every script checked ($n)" [ "$n" -ge 14 ]

# The tests themselves: "check NAME A && B" judges A and runs B unjudged.
python3 "$TOP/tests/tools/check-chains.py" "$TOP"/tests/integration/*.sh >"$TMP/chains" 2>&1
verdict $? "no integration test chains a condition after check ($(wc -l <"$TMP/chains") found)"
sed 's/^/# /' "$TMP/chains" | head -5
finish
# SPDX-License-Identifier: BSD-2-Clause
