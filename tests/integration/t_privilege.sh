#!/bin/bash
# t_privilege.sh: least privilege: every thread of a running scan is nobody (or --user) with no capability and no_new_privs; a bad --user is a usage error; a user with only a cap_net_raw file capability scans exactly.
# tags: lab tsan
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

ZERO=0000000000000000
EXE=$(readlink -f "$SYNSCAN")
XUSER=synscan-it$$
# Open, closed, dropped and every ICMP-rejected port kind of the lab.
P=1-1100,3306,5432,8080,8443,9000,9001,10000-10019,20000-20010,30000-30159

trap 'userdel "$XUSER" >/dev/null 2>&1; groupdel "$XUSER" >/dev/null 2>&1; cleanup' EXIT

# creds PID: one line per thread of PID: its ids, groups, capability sets, no_new_privs.
creds() {
	local t
	for t in /proc/"$1"/task/*/status; do
		awk '/^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):/ {
			k = $1; $1 = ""; v = $0; gsub(/^[ \t]+|[ \t]+$/, "", v); gsub(/[ \t]+/, ",", v)
			printf "%s%s ", k, v; n++ } END { if (n) print "" }' "$t" 2>/dev/null
	done
}

# watch_scan OUT EXE CMD...: runs CMD (which ends up exec'ing EXE in the lab's
# scanner namespace) in the background; once EXE runs with at least three
# threads (main, capture, sender), writes creds of every thread three times,
# 0.1 s apart, to OUT and stops the scan with SIGINT. Fails when EXE never
# got there.
watch_scan() {
	local out=$1 exe=$2 pid='' p job i
	shift 2
	: >"$out"
	timeout 30 "$@" >/dev/null 2>"$out.err" &
	job=$!
	for ((i = 0; i < 200 && !${#pid}; i++)); do
		for p in $(ip netns pids "$LABNAME-scan"); do
			if [ "$(readlink "/proc/$p/exe")" = "$exe" ] &&
				[ "$(find "/proc/$p/task" -mindepth 1 -maxdepth 1 | wc -l)" -ge 3 ]; then
				pid=$p
			fi
		done
		[ -n "$pid" ] || sleep 0.05
	done
	if [ -n "$pid" ]; then
		for i in 1 2 3; do
			creds "$pid" >>"$out"
			sleep 0.1
		done
		kill -INT "$pid"
	fi
	wait "$job"
	[ -n "$pid" ]
}

# uid0_everywhere FILE: every thread line of FILE runs as root.
uid0_everywhere() { awk '$1 != "Uid:0,0,0,0" {bad++} END {exit !(NR > 0 && !bad)}' "$1"; }

# capless FILE: every thread line of FILE holds no permitted, effective,
# inheritable or ambient capability, has no_new_privs and is not root.
capless() {
	awk -v z="$ZERO" '{ for (i = 1; i <= NF; i++) { split($i, kv, ":"); f[kv[1]] = kv[2] } }
		f["CapPrm"] != z || f["CapEff"] != z || f["CapInh"] != z || f["CapAmb"] != z ||
		f["NoNewPrivs"] != 1 || f["Uid"] == "0,0,0,0" { bad++; print "# got: " $0 }
		END { exit !(NR > 0 && !bad) }' "$1"
}

# all_threads FILE WANT: every thread line of FILE equals WANT (shows the first that does not).
all_threads() {
	local bad
	bad=$(grep -vxF -- "$2" "$1" | head -1)
	[ -s "$1" ] && [ -z "$bad" ] && return 0
	echo "# want: $2"
	echo "# got:  ${bad:-no thread sampled}"
	return 1
}

lab_up priv
cd "$TMP" || exit 1

# Root drops to nobody: real, effective, saved and filesystem ids, no groups,
# every capability set empty (bounding set too), no_new_privs; in every thread.
U=$(id -u nobody)
G=$(id -g nobody)
if watch_scan "$TMP/nobody.creds" "$EXE" ip netns exec "$LABNAME-scan" "$SYNSCAN" -q -p- \
	--rate 20000 --pause-file "$TMP/n.resume" 198.18.0.2; then
	want="Uid:$U,$U,$U,$U Gid:$G,$G,$G,$G Groups: CapInh:$ZERO CapPrm:$ZERO CapEff:$ZERO CapBnd:$ZERO CapAmb:$ZERO NoNewPrivs:1 "
	check "default --user nobody: all $(wc -l <"$TMP/nobody.creds") thread samples run as $U:$G, no groups, no capability, no_new_privs" \
		all_threads "$TMP/nobody.creds" "$want"
else
	fail "default --user nobody: the scan never ran with its threads: $(head -1 "$TMP/nobody.creds.err")"
fi

# --user NAME is honoured: a system user (and group) of this test.
if useradd -r -U -M -s /usr/sbin/nologin "$XUSER" 2>"$TMP/useradd.err"; then
	XU=$(id -u "$XUSER")
	XG=$(id -g "$XUSER")
	if watch_scan "$TMP/user.creds" "$EXE" ip netns exec "$LABNAME-scan" "$SYNSCAN" -q -p- \
		--rate 20000 --user "$XUSER" --pause-file "$TMP/u.resume" 198.18.0.2; then
		want="Uid:$XU,$XU,$XU,$XU Gid:$XG,$XG,$XG,$XG Groups: CapInh:$ZERO CapPrm:$ZERO CapEff:$ZERO CapBnd:$ZERO CapAmb:$ZERO NoNewPrivs:1 "
		check "--user $XUSER: all $(wc -l <"$TMP/user.creds") thread samples run as $XU:$XG, no capability, no_new_privs" \
			all_threads "$TMP/user.creds" "$want"
	else
		fail "--user $XUSER: the scan never ran with its threads: $(head -1 "$TMP/user.creds.err")"
	fi
else
	fail "useradd $XUSER: $(head -1 "$TMP/useradd.err")"
fi

# --user root is the documented way to keep root.
if watch_scan "$TMP/root.creds" "$EXE" ip netns exec "$LABNAME-scan" "$SYNSCAN" -q -p- \
	--rate 20000 --user root --pause-file "$TMP/r.resume" 198.18.0.2; then
	check "--user root keeps uid 0 in every thread" \
		uid0_everywhere "$TMP/root.creds"
else
	fail "--user root: the scan never ran with its threads"
fi

# A user that does not exist: usage error, one line, nothing on stdout.
in_lab "$SYNSCAN" -p 22 --user "no-such-user-$$" 198.18.0.2 >"$TMP/bad.out" 2>"$TMP/bad.err"
rc=$?
if [ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/bad.err")" -eq 1 ] && [ ! -s "$TMP/bad.out" ]; then
	pass "--user no-such-user: exit 2 (rc=$rc), one line on stderr, nothing on stdout: $(head -1 "$TMP/bad.err")"
else
	fail "--user no-such-user: exit 2 (rc=$rc), one line on stderr, nothing on stdout: $(head -1 "$TMP/bad.err")"
fi

# Without root: a copy of the binary with only the cap_net_raw file
# capability, run by nobody with no inheritable capability (so nothing else,
# CAP_NET_ADMIN included, can be had), scans exactly.
CAPBIN=$TMP/synscan-cap
cp "$SYNSCAN" "$CAPBIN" && chmod 755 "$CAPBIN"
if ! setcap cap_net_raw+ep "$CAPBIN" 2>"$TMP/setcap.err"; then
	fail "setcap cap_net_raw+ep on a copy of synscan: $(head -1 "$TMP/setcap.err")"
else
	check "the copy holds cap_net_raw and nothing else: $(getcap "$CAPBIN")" \
		[ "$(getcap "$CAPBIN" | awk '{print $2}')" = "cap_net_raw=ep" ]
	NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)
	if watch_scan "$TMP/cap.creds" "$CAPBIN" ip netns exec "$LABNAME-scan" "${NOBODY[@]}" \
		"$CAPBIN" -q -p- --rate 20000 --pause-file "$TMP/c.resume" 198.18.0.2; then
		# The bounding set needs CAP_SETPCAP to shrink; no_new_privs keeps it unusable.
		check "file capability: all $(wc -l <"$TMP/cap.creds") thread samples hold no capability (permitted, effective, inheritable, ambient) and no_new_privs" \
			capless "$TMP/cap.creds"
	else
		fail "file capability: the scan never ran with its threads: $(head -1 "$TMP/cap.creds.err")"
	fi
	# Empty neighbour tables: next hops are resolved without CAP_NET_ADMIN too.
	ip -n "$LABNAME-scan" neigh flush all
	ip -n "$LABNAME-scan" -6 neigh flush all
	in_lab "${NOBODY[@]}" "$CAPBIN" -q -p "$P" --wait 0.5 198.18.0.2 198.19.0.1 2001:db8::2 \
		-oJ "$TMP/cap.json" >/dev/null 2>"$TMP/cap.err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$TMP/cap.err" ]; then
		pass "file capability: exit 0 and a silent stderr (rc=$rc): $(head -1 "$TMP/cap.err")"
	else
		fail "file capability: exit 0 and a silent stderr (rc=$rc): $(head -1 "$TMP/cap.err")"
	fi
	expected_states "$P" >"$TMP/want.txt"
	"$LAB" --name "$LABNAME" expect -6 "$P" >"$TMP/want6.txt"
	for ip in 198.18.0.2 198.19.0.1 2001:db8::2; do
		want=$TMP/want.txt
		[ "$ip" = 2001:db8::2 ] && want=$TMP/want6.txt
		ndjson_states "$TMP/cap.json" "$ip" >"$TMP/got-$ip.txt" 2>/dev/null
		same_lines "file capability: $ip: every port of $P as the lab says" "$want" "$TMP/got-$ip.txt"
	done
fi

# How to run without root must be written down where users look.
for doc in man/synscan.1 README.md; do
	check "$doc explains setcap cap_net_raw+ep" grep -q 'setcap.*cap_net_raw' "$TOP/$doc"
done
finish
# SPDX-License-Identifier: BSD-2-Clause
