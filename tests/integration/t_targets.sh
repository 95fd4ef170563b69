#!/bin/bash
# t_targets.sh: the target grammar end to end: --list-targets forms, -iL, excludes, names, and a /16 scan with exclusions.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

lab_up targets

# lists NAME EXPECTED_COUNT ARGS...: --list-targets prints EXPECTED_COUNT lines and the count.
lists() {
	local name=$1 want=$2
	shift 2
	in_lab "$SYNSCAN" --list-targets "$@" >"$TMP/l.out" 2>"$TMP/l.err"
	local rc=$? got
	got=$(wc -l <"$TMP/l.out")
	if [ "$rc" -eq 0 ] && [ "$got" -eq "$want" ] && grep -qxE "synscan: $want targets?" "$TMP/l.err"; then
		pass "list $name: $want"
	else
		fail "list $name: rc=$rc, $got lines, stderr: $(cat "$TMP/l.err")"
	fi
}

lists "one address" 1 198.18.0.7
lists "CIDR /16" 65536 198.19.0.0/16
lists "range" 90 198.18.0.10-198.18.0.99
lists "octet ranges" 1016 198.18.0-3.1-254
lists "overlaps collapse" 256 198.18.0.0/24 198.18.0.5 198.18.0.10-198.18.0.20
lists "exclude list" 250 198.18.0.0/24 --exclude 198.18.0.0/30,198.18.0.255,198.18.0.100
printf '# excluded\n198.18.0.0/25\n\n198.18.0.200 198.18.0.201 # two\n' >"$TMP/ex.txt"
lists "excludefile" 126 198.18.0.0/24 --excludefile "$TMP/ex.txt"
printf '198.18.1.1\n# comment\n198.18.1.2\t198.18.1.3\n198.18.1.0/30 # overlap\n' >"$TMP/in.txt"
lists "-iL file" 4 -iL "$TMP/in.txt"
in_lab "$SYNSCAN" --list-targets -iL - <"$TMP/in.txt" >"$TMP/stdin.out" 2>/dev/null
check "-iL - reads stdin" [ "$(wc -l <"$TMP/stdin.out")" -eq 4 ]
in_lab "$SYNSCAN" --list-targets 198.18.0.3 198.18.0.1-198.18.0.2 >"$TMP/o.out" 2>/dev/null
check "listed in ascending order" [ "$(tr '\n' ' ' <"$TMP/o.out")" = "198.18.0.1 198.18.0.2 198.18.0.3 " ]

# --list-targets of 10.0.0.0/8 sends nothing (the lab has no route there) and stays small.
in_lab /usr/bin/time -f '%M' "$SYNSCAN" --list-targets 10.0.0.0/8 2>"$TMP/rss" | tail -1 >"$TMP/last"
rss=$(tail -1 "$TMP/rss")
echo "# --list-targets 10.0.0.0/8: max RSS ${rss} KiB"
check "10.0.0.0/8 listed to its last address" grep -qx '10.255.255.255' "$TMP/last"
check "10.0.0.0/8 listing RSS under 16 MiB, less than a byte per address (${rss} KiB)" [ "$rss" -lt 16384 ]

# A long -iL naming few addresses is merged as it is read: 1,000,000 lines
# naming the 65,536 addresses of 198.19.0.0/16 in random order (each once in
# the first 65,536 lines, then drawn at random) cost what the addresses do,
# not what the lines do (a target kept per line: 64 MiB and more).
awk 'BEGIN {
	srand(1)
	for (i = 0; i < 65536; i++) a[i] = i
	for (i = 65535; i > 0; i--) { j = int(rand() * (i + 1)); t = a[i]; a[i] = a[j]; a[j] = t }
	for (i = 0; i < 1000000; i++) {
		k = i < 65536 ? a[i] : int(rand() * 65536)
		printf "198.19.%d.%d\n", int(k / 256), k % 256
	}
}' >"$TMP/many.txt"
in_lab /usr/bin/time -f '%M' "$SYNSCAN" --list-targets -iL "$TMP/many.txt" >"$TMP/many.out" 2>"$TMP/rss"
rss=$(tail -1 "$TMP/rss")
echo "# --list-targets -iL of 1,000,000 lines, 65,536 addresses: max RSS ${rss} KiB"
check "-iL of 1,000,000 lines: the 65,536 addresses listed once each" \
	[ "$(sort -u "$TMP/many.out" | wc -l):$(wc -l <"$TMP/many.out")" = 65536:65536 ]
if asan_build; then # shadow memory: 55 MiB here, whatever the merging
	echo "# max RSS not judged in an AddressSanitizer build"
else
	check "-iL of 1,000,000 lines: max RSS under 16 MiB (${rss} KiB)" [ "$rss" -lt 16384 ]
fi

# Host names come from the resolver, here a private /etc/hosts in a mount namespace.
printf '198.18.0.2 tgt.lab.test\n198.19.0.9 other.lab.test\n' >"$TMP/hosts"
names() { unshare --mount sh -c "mount --bind '$TMP/hosts' /etc/hosts && exec \"\$@\"" sh "$@"; }
names ip netns exec "$LABNAME-scan" "$SYNSCAN" --list-targets tgt.lab.test other.lab.test/31 \
	>"$TMP/n.out" 2>/dev/null
check "host names resolve (and name/len)" [ "$(tr '\n' ' ' <"$TMP/n.out")" = "198.18.0.2 198.19.0.8 198.19.0.9 " ]
names ip netns exec "$LABNAME-scan" "$SYNSCAN" -n --list-targets tgt.lab.test >/dev/null 2>"$TMP/n.err"
check "-n refuses a name: exit 2" [ $? -eq 2 ]
check "-n refuses a name: one line" grep -q "tgt.lab.test" "$TMP/n.err"
names ip netns exec "$LABNAME-scan" "$SYNSCAN" -q -p 22,23 --wait 0.3 tgt.lab.test -oJ "$TMP/n.json" >/dev/null
check "scan by host name" grep -q '"ip":"198.18.0.2","port":22,"proto":"tcp","state":"open"' "$TMP/n.json"

# A /16 with exclusions: exactly the expected hosts answer, nothing excluded is touched.
printf '198.19.1.0/24\n198.19.128.0-198.19.128.9\n' >"$TMP/ex2.txt"
ip netns exec "$LABNAME-tgt" nft add table inet count
ip netns exec "$LABNAME-tgt" nft add chain inet count in '{ type filter hook prerouting priority -300; }'
ip netns exec "$LABNAME-tgt" nft add rule inet count in ip daddr 198.19.0.0/24 tcp flags syn counter
ip netns exec "$LABNAME-tgt" nft add rule inet count in ip daddr 198.19.1.0/24 tcp flags syn counter
in_lab "$SYNSCAN" -q -p 22 --rate 50000 --wait 0.5 198.19.0.0/16 \
	--exclude 198.19.0.0/24,198.19.255.255 --excludefile "$TMP/ex2.txt" -oJ "$TMP/s.json" >/dev/null
check "/16 with exclusions exits 0" [ $? -eq 0 ]
labcheck open-hosts "$TMP/s.json" 198.19.0.0/16 198.19.0.0/24 198.19.1.0/24 198.19.255.255 \
	198.19.128.0-198.19.128.9 >"$TMP/s.check"
read -r got want diff <"$TMP/s.check"
if [ "$diff" -eq 0 ] && [ "$got" -eq 65013 ]; then
	pass "/16 minus exclusions: $got hosts open, expected $want, $diff differ"
else
	fail "/16 minus exclusions: $got hosts open, expected $want, $diff differ"
fi
counted=$(ip netns exec "$LABNAME-tgt" nft list chain inet count in | grep -o 'packets [0-9]*' | awk '{s+=$2} END{print s}')
check "no SYN reached an excluded address (counted $counted)" [ "$counted" -eq 0 ]
finish
# SPDX-License-Identifier: BSD-2-Clause
