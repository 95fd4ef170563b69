#!/bin/bash
# t_audit.sh: the audit tooling end to end in labs: synscan-verify, --expect clean and drifting, nightly-audit twice, scan-networks, parallel-shards merged versus one scan.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

EX=$TOP/scripts/examples
T=120 # seconds any one step may take

# has FILE REGEX: FILE has a line matching REGEX (shows FILE if not).
has() {
	grep -qE -- "$2" "$1" && return 0
	echo "# no line matching /$2/ in ${1##*/}:"
	sed 's/^/#   /' "$1" | tail -20
	return 1
}

# db_states DB: "ADDR PORT STATE" of every port of DB's latest complete scan.
db_states() {
	local q="SELECT addr, port, state FROM ports WHERE scan_id =
		(SELECT id FROM scans WHERE complete = 1 ORDER BY started DESC, id DESC LIMIT 1)
		ORDER BY addr, port;"
	if command -v sqlite3 >/dev/null; then
		sqlite3 -separator ' ' "$1" "$q"
	else
		labcheck sqlite "$1" "$q"
	fi
}

# ---- synscan-verify: a user's ruleset against a policy ----
VLAB=it-verify-$$
EXTRA_LABS+=("$VLAB")
for kind in good bad; do
	rc=0
	SYNSCAN=$SYNSCAN timeout $T "$TOP/scripts/synscan-verify" --name "$VLAB" \
		--ruleset "$EX/ruleset-$kind.nft" --expect "$EX/policy-web.txt" \
		>"$TMP/verify-$kind.out" 2>"$TMP/verify-$kind.err" || rc=$?
	sed "s/^/# verify $kind: /" "$TMP/verify-$kind.out"
	if [ $kind = good ]; then
		check "verify ruleset-good.nft exits 0" [ $rc -eq 0 ]
		check "verify ruleset-good.nft: exposes exactly what the policy allows" \
			has "$TMP/verify-good.out" '^ruleset .*ruleset-good\.nft: exposes exactly what .*policy-web\.txt allows$'
	else
		check "verify ruleset-bad.nft exits 3" [ $rc -eq 3 ]
		check "verify ruleset-bad.nft: a DEVIATION line for 3306, and only that one" \
			has "$TMP/verify-bad.out" '^Policy: 1 deviation in 65535 ports checked$'
		check "verify ruleset-bad.nft: 3306 open where the policy wants it shut" \
			has "$TMP/verify-bad.out" '^DEVIATION 198\.18\.0\.2 3306/tcp open \(unexpected-open\), expected closed\|filtered'
		check "verify ruleset-bad.nft: 1 deviation verdict" \
			has "$TMP/verify-bad.out" '^ruleset .*ruleset-bad\.nft: 1 deviation from .*policy-web\.txt$'
	fi
	[ $rc -le 3 ] || cat "$TMP/verify-$kind.err"
done
check "verify took its lab down" bash -c "! ip netns list | grep -q '^$VLAB-'"

# ---- the built-in lab: scan-networks, then --expect clean and drifting ----
lab_up audit

printf '# two lab networks\n198.19.0.0/30   # four local addresses\n\n198.18.0.2\n' >"$TMP/nets.txt"
rc=0
in_lab "$TOP/scripts/scan-networks" --synscan "$SYNSCAN" -o "$TMP/sn" -p 1-1000 --rate 20000 \
	"$TMP/nets.txt" >"$TMP/sn.out" 2>&1 || rc=$?
sed 's/^/# scan-networks: /' "$TMP/sn.out"
check "scan-networks exits 0" [ $rc -eq 0 ]
ok=1
for f in 198.19.0.0_30 198.18.0.2; do
	for ext in nmap gnmap xml; do
		[ -s "$TMP/sn/$f.$ext" ] || { echo "# missing $f.$ext"; ok=0; }
	done
done
check "scan-networks wrote .nmap, .gnmap and .xml per network" [ $ok -eq 1 ]
check "scan-networks: 198.19.0.0/30 summary (4 addresses, 4 up, 3 open ports each)" \
	has "$TMP/sn.out" "^198\.19\.0\.0/30: 4 addresses, 4 hosts up, 12 open ports -> $TMP/sn/198\.19\.0\.0_30\.\{nmap,gnmap,xml\}$"
check "scan-networks: 198.18.0.2 summary" \
	has "$TMP/sn.out" "^198\.18\.0\.2: 1 address, 1 host up, 3 open ports -> $TMP/sn/198\.18\.0\.2\.\{nmap,gnmap,xml\}$"
check "scan-networks: exactly two summary lines" [ "$(wc -l <"$TMP/sn.out")" -eq 2 ]

# The built-in lab for ports 1-1000: 22, 80 and 443 open, the rest closed
# (RST) or filtered (dropped).
cat >"$TMP/policy.txt" <<'EOF'
# the built-in lab, ports 1-1000
198.18.0.2   1-1000       shut
198.18.0.2   22,80,443    open
EOF
rc=0
in_lab "$SYNSCAN" -q -p 1-1000 --rate 20000 --expect "$TMP/policy.txt" 198.18.0.2 \
	>"$TMP/clean.txt" 2>&1 || rc=$?
check "--expect: the built-in lab matches its policy (exit 0)" [ $rc -eq 0 ]
check "--expect: Policy: 0 deviations in 1000 ports" has "$TMP/clean.txt" '^Policy: 0 deviations in 1000 ports checked$'

ip netns exec "$LABNAME-tgt" nft insert rule inet lab input tcp dport 80 drop
rc=0
in_lab "$SYNSCAN" -q -p 1-1000 --rate 20000 --expect "$TMP/policy.txt" 198.18.0.2 \
	>"$TMP/drift.txt" 2>&1 || rc=$?
check "--expect: port 80 dropped by a new rule: exit 3" [ $rc -eq 3 ]
check "--expect: exactly one deviation" has "$TMP/drift.txt" '^Policy: 1 deviation in 1000 ports checked$'
check "--expect: 80 filtered where the policy wants it open" \
	has "$TMP/drift.txt" '^DEVIATION 198\.18\.0\.2 80/tcp filtered \(expected-open\), expected open \(policy line 3\)$'

# drop80 on|off: the target drops port 80, or not.
drop80() {
	local h
	if [ "$1" = on ]; then
		ip netns exec "$LABNAME-tgt" nft insert rule inet lab input tcp dport 80 drop
		return
	fi
	for h in $(ip netns exec "$LABNAME-tgt" nft -a list chain inet lab input |
		sed -n 's/.*tcp dport 80 drop # handle \([0-9]*\)$/\1/p'); do
		ip netns exec "$LABNAME-tgt" nft delete rule inet lab input handle "$h"
	done
}

# ---- nightly-audit twice, the ruleset changed in between ----
drop80 off
echo 198.18.0.2 >"$TMP/audit-nets.txt"
nightly() { # nightly LOG [VAR=VALUE...]: one run inside the lab's scanner namespace
	local log=$1
	shift
	in_lab env NETWORKS="$TMP/audit-nets.txt" PORTS=1-1000 RATE=20000 DB="$TMP/audit.db" \
		SYNSCAN="$SYNSCAN" "$@" "$TOP/scripts/nightly-audit" >"$log" 2>&1
}
rc=0
nightly "$TMP/night1.log" POLICY="$TMP/policy.txt" || rc=$?
sed 's/^/# night 1: /' "$TMP/night1.log"
check "nightly-audit, first run (no previous scan: the baseline): exit 0" [ $rc -eq 0 ]
check "nightly-audit, first run says it is the baseline" has "$TMP/night1.log" 'no previous complete scan .*baseline'
drop80 on
rc=0
nightly "$TMP/night2.log" POLICY="$TMP/policy.txt" || rc=$?
sed 's/^/# night 2: /' "$TMP/night2.log"
check "nightly-audit, second run after the ruleset change: exit 3" [ $rc -eq 3 ]
check "nightly-audit, second run: the diff names 80/tcp (filtered, was open)" \
	has "$TMP/night2.log" '198\.18\.0\.2 80/tcp filtered \(was open\)'
check "nightly-audit, second run: the policy deviation for 80/tcp" \
	has "$TMP/night2.log" '^DEVIATION 198\.18\.0\.2 80/tcp filtered'
rc=0
nightly "$TMP/night3.log" || rc=$?
sed 's/^/# night 3: /' "$TMP/night3.log"
check "nightly-audit, third run, nothing changed and no policy: exit 0" [ $rc -eq 0 ]
check "nightly-audit, third run: no change" has "$TMP/night3.log" 'no change since the previous complete scan'
rc=0
nightly "$TMP/night4.log" NETWORKS="$TMP/nonexistent" || rc=$?
check "nightly-audit with a missing networks file: exit 2" [ $rc -eq 2 ]

# ---- parallel-shards: 3 shards in 3 labs, merged, versus one scan ----
drop80 off
ARGS=(-q -p 1-200 --rate 20000 --wait 0.5 198.19.0.0/29)
N=3
PREFIX=it-ps$$-
for i in $(seq $N); do
	EXTRA_LABS+=("$PREFIX$i")
	"$LAB" --name "$PREFIX$i" up >/dev/null 2>&1 || fail "lab $PREFIX$i up"
done
rc=0
in_lab "$SYNSCAN" "${ARGS[@]}" --db "$TMP/single.db" >/dev/null || rc=$?
check "the single scan exits 0" [ $rc -eq 0 ]
db_states "$TMP/single.db" >"$TMP/single.txt"
check "the single scan recorded 1600 ports" [ "$(wc -l <"$TMP/single.txt")" -eq 1600 ]
runners=(shell)
if parallel --version 2>/dev/null | grep -q '^GNU parallel'; then
	runners+=(parallel)
else
	echo "# GNU parallel is not installed: only the background-job runner is tested"
fi
for r in "${runners[@]}"; do
	rc=0
	timeout $T "$TOP/scripts/parallel-shards" -n $N --db "$TMP/merged-$r.db" --seed 4242 \
		--runner "$r" --lab-prefix "$PREFIX" --synscan "$SYNSCAN" -- "${ARGS[@]}" \
		>"$TMP/ps-$r.out" 2>&1 || rc=$?
	sed "s/^/# parallel-shards $r: /" "$TMP/ps-$r.out"
	check "parallel-shards --runner $r exits 0" [ $rc -eq 0 ]
	db_states "$TMP/merged-$r.db" >"$TMP/merged-$r.txt"
	same_lines "parallel-shards --runner $r: merged states equal the single scan's (1600 ports)" \
		"$TMP/single.txt" "$TMP/merged-$r.txt"
done
finish
# SPDX-License-Identifier: BSD-2-Clause
