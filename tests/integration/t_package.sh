#!/bin/bash
# t_package.sh: the Debian package end to end: built from this tree with dpkg-buildpackage (or $SYNSCAN_DEB), installed with apt-get; the installed synscan scans the installed lab as its expectation says, also as a non-root user by README.Debian's recipe (statoverride + setcap, lost on upgrade), synscan-verify checks the lab's ruleset, nightly-audit runs; apt-get purge then leaves none of its files, no /etc entry and no systemd state. SYNSCAN_SKIP_PACKAGE=1 skips it.
# tags: lab release
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

[ "${SYNSCAN_SKIP_PACKAGE:-}" = 1 ] && skip_all "SYNSCAN_SKIP_PACKAGE=1"
for tool in dpkg-query apt-get; do
	command -v "$tool" >/dev/null || skip_all "$tool is not installed (not a Debian system)"
done
case $(dpkg-query -W -f='${db:Status-Status}' synscan 2>/dev/null) in
'' | not-installed) ;;
*) skip_all "a synscan package is installed here: purge it first (this test installs and purges its own)" ;;
esac
# Everything below runs the installed programs: nothing may fall back on
# the build tree's synscan, lab or delay line.
unset SYNSCAN SYNSCAN_LAB_DIR SYNSCAN_DELAYLINE
# Open, closed, dropped, the hidden listeners and every ICMP-rejected kind.
P=1-1100,3306,5432,8080,8443,9000,9001,10000-10019,20000-20010,30000-30159
T=120
export DEBIAN_FRONTEND=noninteractive

# ---- the .deb: $SYNSCAN_DEB, else built from this tree's files ----
if [ -n "${SYNSCAN_DEB:-}" ]; then
	[ -f "$SYNSCAN_DEB" ] || skip_all "SYNSCAN_DEB=$SYNSCAN_DEB is not a file"
	deb=$(realpath -- "$SYNSCAN_DEB")
else
	[ -d "$TOP/debian" ] || skip_all "no debian/ in $TOP (a release tarball?): set SYNSCAN_DEB"
	if ! { command -v git >/dev/null && git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; }; then
		skip_all "$TOP is not a git checkout: set SYNSCAN_DEB to a built .deb"
	fi
	if ! { command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null; }; then
		skip_all "dpkg-buildpackage or debhelper is not installed (apt-get install dpkg-dev debhelper)"
	fi
	# The tree's tracked and new files (no build directory, no generated file).
	mkdir -p "$TMP/src/synscan"
	git -C "$TOP" ls-files -z -co --exclude-standard |
		(cd "$TOP" && while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done) |
		(cd "$TOP" && xargs -0 cp --parents -a -t "$TMP/src/synscan")
	(cd "$TMP/src/synscan" && dpkg-checkbuilddeps) >"$TMP/deps.log" 2>&1 ||
		skip_all "build dependencies missing: $(tail -1 "$TMP/deps.log")"
	# nocheck: the unit tests are the suite's own; a package build runs them too.
	(cd "$TMP/src/synscan" && DEB_BUILD_OPTIONS="nocheck parallel=2" \
		timeout 420 dpkg-buildpackage -us -uc -b) >"$TMP/build.log" 2>&1
	rc=$?
	check "dpkg-buildpackage -us -uc -b exits 0 (rc=$rc)" [ "$rc" -eq 0 ]
	[ "$rc" -eq 0 ] || tail -20 "$TMP/build.log" | sed 's/^/# /'
	deb=$(compgen -G "$TMP/src/synscan_*.deb" | head -1)
	if command -v lintian >/dev/null && [ "$rc" -eq 0 ]; then
		# Its tags on stdout; stderr has only its note about running as root.
		timeout 300 lintian --fail-on error,warning "$TMP"/src/synscan_*.changes \
			>"$TMP/lintian.txt" 2>"$TMP/lintian.err"
		rc=$?
		check "lintian: no error and no warning (exit $rc)" \
			bash -c "[ $rc -eq 0 ] && ! grep -qE '^[EW]: ' '$TMP/lintian.txt'"
		sed 's/^/# lintian: /' "$TMP/lintian.err" | grep -v 'root privileges' | head -5
		sed 's/^/# lintian: /' "$TMP/lintian.txt" | head -20
	fi
fi
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
	fail "a synscan .deb to install"
	finish
	exit 1
fi
echo "# package: $deb"

# ---- install ----
# What the package may leave behind: /etc and the systemd helpers' state.
leftovers() {
	find /etc /var/lib/systemd /var/lib/dpkg/info /usr/libexec /usr/share/doc \
		-iname '*synscan*' 2>/dev/null | sort
}
before=$(leftovers)
installed=0
# README.Debian's recipe for scanning without root, with a group of this
# test's own: its name, and its member.
SGROUP=synscan-it$$
SUSER=synscan-itu$$
# On the way out: lib.sh's cleanup (labs down, $TMP gone) while the
# installed lab is still there, then the package if a failure left it, and
# the recipe's statoverride, user and group.
cleanup_all() {
	cleanup
	dpkg-statoverride --list /usr/bin/synscan >/dev/null 2>&1 &&
		dpkg-statoverride --remove /usr/bin/synscan >/dev/null 2>&1
	[ "$installed" -eq 0 ] || timeout 300 apt-get -o DPkg::Lock::Timeout=120 purge -y synscan </dev/null >/dev/null 2>&1
	userdel "$SUSER" >/dev/null 2>&1
	groupdel "$SGROUP" >/dev/null 2>&1
}
trap cleanup_all EXIT

timeout 300 apt-get -o DPkg::Lock::Timeout=120 install -y "$deb" </dev/null >"$TMP/install.log" 2>&1
rc=$?
installed=1
check "apt-get install -y ./${deb##*/} exits 0 (rc=$rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || tail -20 "$TMP/install.log" | sed 's/^/# /'
check "dpkg says synscan is installed" \
	[ "$(dpkg-query -W -f='${db:Status-Status}' synscan)" = installed ]
dpkg -L synscan | sort >"$TMP/list.txt"
while read -r f; do [ -d "$f" ] || echo "$f"; done <"$TMP/list.txt" >"$TMP/files.txt"
missing=$(while read -r f; do [ -e "$f" ] || [ -L "$f" ] || echo "$f"; done <"$TMP/files.txt")
check "every file dpkg -L lists is there ($(wc -l <"$TMP/files.txt") files)" [ -z "$missing" ]
for f in /usr/bin/synscan /usr/bin/synscan-verify /usr/libexec/synscan/lab \
	/usr/libexec/synscan/lab-listen /usr/libexec/synscan/lab-delayline \
	/usr/libexec/synscan/nightly-audit /usr/share/bash-completion/completions/synscan.bash \
	/usr/share/doc/synscan/README.Debian /usr/share/doc/synscan/examples/policy-web.txt; do
	check "the package installs $f" grep -qxF "$f" "$TMP/files.txt"
done

# Every program on the PATH has its man page.
while read -r prog; do
	check "${prog##*/} has a man page" grep -qE "^/usr/share/man/man[18]/${prog##*/}\.[18]\.gz$" \
		"$TMP/files.txt"
done < <(grep -E '^/usr/s?bin/' "$TMP/files.txt")
check "the completion of synscan-verify loads by its name (bash-completion)" \
	bash -c '{ . /usr/share/bash-completion/completions/synscan-verify.bash &&
		complete -p synscan-verify && complete -p synscan; } >/dev/null'

# The nightly audit's units: installed, disabled, running what is installed.
for u in synscan-audit.service synscan-audit.timer; do
	unit=$(grep -E "/lib/systemd/system/$u$" "$TMP/files.txt")
	check "$u is installed ($unit)" [ -n "$unit" ]
	check "$u is not enabled" bash -c "! ls /etc/systemd/system/*/$u >/dev/null 2>&1"
done
unit=$(grep -E '/lib/systemd/system/synscan-audit.service$' "$TMP/files.txt")
exe=$(sed -n 's/^ExecStart=//p' "$unit" 2>/dev/null)
check "the service's ExecStart ($exe) is an installed program" \
	bash -c "[ -x '$exe' ] && grep -qxF '$exe' '$TMP/files.txt'"
check "the service runs the installed synscan" grep -qx 'Environment=SYNSCAN=/usr/bin/synscan' "$unit"

# ---- the installed synscan against the installed lab ----
LAB=/usr/libexec/synscan/lab
lab_up pkg
in_lab /usr/bin/synscan -q --wait 0.3 -p "$P" 198.18.0.2 -oJ "$TMP/scan.json" >/dev/null 2>"$TMP/scan.err"
rc=$?
check "/usr/bin/synscan scans the lab (rc=$rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$TMP/scan.err"
expected_states "$P" >"$TMP/expect.txt"
ndjson_states "$TMP/scan.json" 198.18.0.2 >"$TMP/got.txt"
check "the installed lab's expectation has every port of -p $P ($(wc -l <"$TMP/expect.txt"))" \
	[ "$(wc -l <"$TMP/expect.txt")" -eq 1297 ]
same_lines "every port's state and reason equals the installed lab's expectation" \
	"$TMP/expect.txt" "$TMP/got.txt"

# README.Debian's way to scan without root: a group, a statoverride and
# cap_net_raw. A member scans exactly; anyone else may not run synscan; an
# upgrade (here a reinstall) keeps the statoverride and drops the capability.
check "README.Debian gives the recipe" grep -q '^ *setcap cap_net_raw+ep /usr/bin/synscan$' \
	/usr/share/doc/synscan/README.Debian
if ! command -v setcap >/dev/null || ! command -v getcap >/dev/null; then
	fail "setcap and getcap (libcap2-bin, scripts/deps installs it)"
elif ! { groupadd -r "$SGROUP" && useradd -r -M -N -g nogroup -G "$SGROUP" -s /usr/sbin/nologin "$SUSER"; } \
	2>"$TMP/useradd.err"; then
	fail "groupadd/useradd: $(head -1 "$TMP/useradd.err")"
else
	dpkg-statoverride --update --add root "$SGROUP" 0750 /usr/bin/synscan &&
		setcap cap_net_raw+ep /usr/bin/synscan
	check "statoverride and setcap applied: $(stat -c '%a %U %G' /usr/bin/synscan), $(getcap /usr/bin/synscan)" \
		[ "$(stat -c '%a %U %G' /usr/bin/synscan)" = "750 root $SGROUP" ]
	# setpriv may still hold root's capabilities at its own execve: a shell
	# started by it execs synscan with only the user's rights.
	as_member=(setpriv --reuid="$SUSER" --regid=nogroup --init-groups --inh-caps=-all
		sh -c 'exec "$@"' sh)
	in_lab "${as_member[@]}" /usr/bin/synscan -q --wait 0.3 -p "$P" 198.18.0.2 -oJ "$TMP/user.json" \
		>/dev/null 2>"$TMP/user.err"
	rc=$?
	check "a member of $SGROUP scans without root (rc=$rc): $(head -1 "$TMP/user.err")" [ "$rc" -eq 0 ]
	ndjson_states "$TMP/user.json" 198.18.0.2 >"$TMP/user.txt" 2>/dev/null
	same_lines "... every port as the lab says" "$TMP/expect.txt" "$TMP/user.txt"
	in_lab setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		sh -c 'exec "$@"' sh /usr/bin/synscan -p 22 198.18.0.2 >/dev/null 2>&1
	rc=$?
	check "nobody, not a member, may not run it (rc=$rc)" [ "$rc" -eq 126 ]
	timeout 300 apt-get -o DPkg::Lock::Timeout=120 install --reinstall -y "$deb" </dev/null \
		>"$TMP/reinstall.log" 2>&1
	check "after a reinstall the statoverride holds ($(stat -c '%a %U %G' /usr/bin/synscan))" \
		[ "$(stat -c '%a %U %G' /usr/bin/synscan)" = "750 root $SGROUP" ]
	check "... and the capability is gone, as README.Debian says ($(getcap /usr/bin/synscan))" \
		[ -z "$(getcap /usr/bin/synscan)" ]
	in_lab "${as_member[@]}" /usr/bin/synscan -p 22 198.18.0.2 >/dev/null 2>"$TMP/user2.err"
	rc=$?
	check "... so the member can no longer scan (rc=$rc): $(head -1 "$TMP/user2.err")" [ "$rc" -eq 1 ]
	dpkg-statoverride --remove /usr/bin/synscan && chown root:root /usr/bin/synscan &&
		chmod 0755 /usr/bin/synscan
	check "the recipe undone: $(stat -c '%a %U %G' /usr/bin/synscan)" \
		[ "$(stat -c '%a %U %G' /usr/bin/synscan)" = "755 root root" ]
fi

# The packaged nightly audit, as the service runs it: a baseline, then an
# unchanged second run (the lab is as it was).
printf '%s\n' '# the lab target' 198.18.0.2 >"$TMP/networks.txt"
for run in 1 2; do
	in_lab /usr/libexec/synscan/nightly-audit --networks "$TMP/networks.txt" --ports "$P" \
		--db "$TMP/audit.db" >"$TMP/audit$run.out" 2>&1
	rc=$?
	check "nightly-audit run $run exits 0 (rc=$rc)" [ "$rc" -eq 0 ]
	[ "$rc" -eq 0 ] || sed 's/^/# /' "$TMP/audit$run.out"
done
check "nightly-audit run 1 is the baseline" grep -q 'this scan is the baseline' "$TMP/audit1.out"
check "nightly-audit run 2 finds no change" grep -q 'no change since the previous complete scan' \
	"$TMP/audit2.out"
"$LAB" --name "$LABNAME" down >/dev/null 2>&1
LABNAME=

# ---- synscan-verify on the lab's own ruleset ----
# Under synscan-verify every port the ruleset lets through answers (a
# listener or the catch-all): the lab's ports that are not explicitly
# rejected or dropped are open, the others as lab-expect.txt says.
{
	echo '198.18.0.2 * open'
	awk '$1 !~ /^#/ && NF >= 3 && $2 != "open" { print "198.18.0.2", $1, $2 }' \
		/usr/libexec/synscan/lab-expect.txt
} >"$TMP/policy.txt"
check "the policy has the lab's closed and filtered rules" \
	[ "$(grep -c ' closed$' "$TMP/policy.txt")" -ge 1 -a "$(grep -c ' filtered$' "$TMP/policy.txt")" -ge 5 ]
VLAB=it-pkgverify-$$
EXTRA_LABS+=("$VLAB")
rc=0
timeout $T /usr/bin/synscan-verify --name "$VLAB" --ruleset /usr/libexec/synscan/lab-ruleset.nft \
	--expect "$TMP/policy.txt" --ports "$P" >"$TMP/verify.out" 2>"$TMP/verify.err" || rc=$?
sed 's/^/# verify: /' "$TMP/verify.out"
check "synscan-verify on lab-ruleset.nft exits 0 (rc=$rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$TMP/verify.err"
check "... and says it exposes exactly what the policy allows" \
	grep -q '^ruleset .*lab-ruleset\.nft: exposes exactly what .*policy\.txt allows$' "$TMP/verify.out"
# The same ruleset against a policy it breaks: 22 is open, not closed.
echo '198.18.0.2 22 closed' >>"$TMP/policy.txt"
rc=0
timeout $T /usr/bin/synscan-verify --name "$VLAB" --ruleset /usr/libexec/synscan/lab-ruleset.nft \
	--expect "$TMP/policy.txt" --ports "$P" >"$TMP/verify2.out" 2>"$TMP/verify2.err" || rc=$?
check "synscan-verify against a broken policy exits 3 (rc=$rc)" [ "$rc" -eq 3 ]
check "... with the deviation of port 22" \
	grep -q '^DEVIATION 198\.18\.0\.2 22/tcp open (.*), expected closed (policy line ' "$TMP/verify2.out"
check "... and only that one" grep -q '^Policy: 1 deviation in ' "$TMP/verify2.out"
check "synscan-verify took its lab down" bash -c "! ip netns list | grep -q '^$VLAB-'"

# ---- purge: nothing left ----
rc=0
timeout 300 apt-get -o DPkg::Lock::Timeout=120 purge -y synscan </dev/null >"$TMP/purge.log" 2>&1 || rc=$?
installed=0
LAB=$TOP/scripts/lab
check "apt-get purge -y synscan exits 0 (rc=$rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || tail -20 "$TMP/purge.log" | sed 's/^/# /'
check "dpkg no longer knows synscan" \
	bash -c "case \$(dpkg-query -W -f='\${db:Status-Status}' synscan 2>/dev/null) in ''|not-installed) ;; *) false ;; esac"
left=$(while read -r f; do [ -e "$f" ] || [ -L "$f" ] && echo "$f"; done <"$TMP/files.txt")
check "every file the package had is gone" [ -z "$left" ]
[ -z "$left" ] || echo "$left" | head -5 | sed 's/^/# left: /'
after=$(leftovers)
check "no synscan entry left in /etc, systemd's or dpkg's state, libexec or doc" [ "$before" = "$after" ]
[ "$before" = "$after" ] || diff <(echo "$before") <(echo "$after") | head -5 | sed 's/^/# /'
finish
# SPDX-License-Identifier: BSD-2-Clause
