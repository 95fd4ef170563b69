#!/bin/bash
# t_discovery.sh: host discovery as nmap does it, behind a router: -sn and each -P probe kind against nmap -sn (same hosts up, same reasons), hosts that drop ICMP but answer TCP, discovery before the port scan (targets found down get no port probe), -Pn, IPv6, reverse DNS from the lab's resolver (default, -n, -R, --dns-servers), ndiff and python-libnmap/python-nmap against nmap's XML.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3 # Debian's python: python3-libnmap and python3-nmap live there
for tool in nmap ndiff dnsmasq; do
	command -v $tool >/dev/null || skip_all "$tool is not installed (scripts/deps installs it)"
done

# up_of XML: the addresses of the hosts up, sorted.
up_of() { hosts_of "$1" | sed -n 's/^<status state="up" .*<address addr="\([^"]*\)".*/\1/p'; }

lab_up disc --router --dns
cd "$TMP" || exit 1
# Behind the router: the target (198.18.1.2) and its 198.19.0.0/16, where
# .7 drops ICMP (answers TCP), .8 drops everything (down) and .9 drops TCP
# (answers ICMP); 198.18.1.1 and .3-.6 hold nobody.
ip netns exec "$LABNAME-tgt" nft -f - <<'EOF'
table inet disc {
	chain in {
		type filter hook input priority -10; policy accept;
		ip daddr 198.19.0.7 ip protocol icmp drop
		ip daddr 198.19.0.8 drop
		ip daddr 198.19.0.9 ip protocol tcp drop
	}
}
EOF
TARGETS="198.18.1.1-6 198.19.0.5-9"

# 1. Each probe kind alone gives nmap's hosts and nmap's reason.
for kind in -PE -PS443 -PA80 -PP -PS9999 -PA22,8080; do
	in_lab "$SYNSCAN" -q -sn $kind -n $TARGETS -oX s.xml >/dev/null 2>s.err
	rc=$?
	in_lab nmap -sn $kind -n $TARGETS -oX n.xml >/dev/null 2>&1
	check "-sn $kind: exit 0" [ $rc -eq 0 ]
	check "-sn $kind: the hosts, states and reasons of nmap -sn $kind" \
		cmp -s <(hosts_of n.xml) <(hosts_of s.xml)
	cmp -s <(hosts_of n.xml) <(hosts_of s.xml) || diff <(hosts_of n.xml) <(hosts_of s.xml) | sed 's/^/# /'
done

# 2. nmap's default probes (-PE -PS443 -PA80 -PP): the same hosts up; each
# host's reason is one of the answers it gives (whichever came first).
in_lab "$SYNSCAN" -sn -v $TARGETS -oX d.xml -oG d.gnmap -oJ d.json -oN d.txt >/dev/null 2>d.err
check "-sn: exit 0" [ $? -eq 0 ]
in_lab nmap -sn -v $TARGETS -oX nd.xml >/dev/null 2>&1
check "-sn: nmap's hosts up" cmp -s <(up_of nd.xml) <(up_of d.xml)
check "-sn: 5 up, 6 down of 11 (as nmap)" grep -q '<hosts up="5" down="6" total="11"/>' d.xml
check "-sn: nmap -sn counts the same" grep -q '<hosts up="5" down="6" total="11"/>' nd.xml
check "-sn: 198.19.0.7 (drops ICMP) up by its TCP answer" \
	bash -c "tr -d '\n' <d.xml | sed 's/<\/host>/&\n/g' | grep 'addr=\"198.19.0.7\"' | grep -qE '<status state=\"up\" reason=\"(syn-ack|reset)\" reason_ttl=\"63\"/>'"
check "-sn: 198.19.0.9 (drops TCP) up by echo-reply or timestamp-reply" \
	bash -c "sed -n '/<host/,/<\/host>/p' d.xml | tr -d '\n' | sed 's/<\/host>/&\n/g' | grep 'addr=\"198.19.0.9\"' | grep -qE 'reason=\"(echo|timestamp)-reply\"'"
check "-sn: no <ports> element, no port record" \
	bash -c '! grep -q "<ports" d.xml && ! grep -q "\"type\":\"port\"" d.json'
check "-sn: grepable Status lines only" \
	bash -c '[ "$(grep -c "^Host: .*Status: Up$" d.gnmap)" -eq 5 ] && ! grep -q "Ports:" d.gnmap'
check "-sn: stderr names the discovery" grep -q '^synscan: host discovery: 5 of 11 hosts up' d.err
check "-sn: reverse DNS by default (the lab's resolver): PTR names in XML" \
	grep -q '<hostname name="h-198-19-0-5.lab" type="PTR"/>' d.xml
check "-sn: the target's PTR name" grep -q '<hostname name="target.lab" type="PTR"/>' d.xml
check "-sn: normal output names the host as nmap does" \
	grep -q 'scan report for h-198-19-0-5.lab (198.19.0.5)' d.txt
ndiff nd.xml d.xml >nd.txt
grep -E '^[-+]' nd.txt | grep -vE '^[-+](Nmap [^ ]+ scan initiated )' >nd.bad
check "-sn: ndiff shows no host, address or name difference from nmap" [ ! -s nd.bad ]
[ -s nd.bad ] && sed 's/^/# /' nd.txt | head -20
clients_same_hosts "-sn: python-libnmap and python-nmap read nmap's hosts" nd.xml d.xml
check "records: -sn NDJSON valid against the schema" \
	$PY "$TOP/tests/integration/records.py" ndjson d.json --status done --ports 0

in_lab "$SYNSCAN" -q -sn -PE -n --reason 198.19.0.5 >re.txt 2>&1
in_lab nmap -sn -PE -n --reason 198.19.0.5 >nre.txt 2>&1
check "-sn --reason: nmap's 'Host is up, received echo-reply ttl 63'" \
	bash -c "grep -q '^Host is up, received echo-reply ttl 63 (' re.txt && grep -q '^Host is up, received echo-reply ttl 63 (' nre.txt"

# 3. Discovery, then the port scan of the hosts found up only.
in_lab "$SYNSCAN" -n -p 22,80,443 $TARGETS -oX p.xml -oJ p.json >/dev/null 2>p.err
check "discover then scan: exit 0" [ $? -eq 0 ]
in_lab nmap -n -p 22,80,443 $TARGETS -oX np.xml >/dev/null 2>&1
check "discover then scan: nmap's hosts up" cmp -s <(up_of np.xml) <(up_of p.xml)
check "discover then scan: 15 probes (5 hosts up x 3 ports)" \
	grep -qE '^synscan: 15/15 probes sent' p.err
check "discover then scan: no port record of a host found down" \
	bash -c '! grep -E "\"type\":\"port\"" p.json | grep -qE "\"ip\":\"(198\.19\.0\.8|198\.18\.1\.[13-6])\""'
ndiff np.xml p.xml >np.txt
grep -E '^[-+]' np.txt | grep -vE '^[-+](Nmap [^ ]+ scan initiated |Not shown: )' >np.bad
check "discover then scan: ndiff shows no host, address or port difference from nmap" [ ! -s np.bad ]
[ -s np.bad ] && sed 's/^/# /' np.txt | head -20

# 4. -Pn: no discovery, every target up (user-set) and scanned.
in_lab "$SYNSCAN" -q -Pn -n -p 22 $TARGETS -oX pn.xml >/dev/null 2>&1
check "-Pn: every target up, user-set" \
	[ "$(grep -c '<status state="up" reason="user-set"' pn.xml)" -eq 11 ]
check "-Pn: 11 probes" [ "$(grep -c '<port protocol="tcp" portid="22">' pn.xml)" -eq 11 ]

# 5. IPv6: behind the router, the target and two of its local /120, one absent.
in_lab "$SYNSCAN" -q -sn -n 2001:db8:2::2 2001:db8:1::5 2001:db8:2::3 -oX v6.xml >/dev/null 2>&1
in_lab nmap -6 -sn -n 2001:db8:2::2 2001:db8:1::5 2001:db8:2::3 -oX nv6.xml >/dev/null 2>&1
check "IPv6 -sn: nmap's hosts up" cmp -s <(up_of nv6.xml) <(up_of v6.xml)
check "IPv6 -sn: 2 up of 3" grep -q '<hosts up="2" down="1" total="3"/>' v6.xml

# 6. Reverse DNS: -n none, -R the hosts found down too, --dns-servers.
in_lab "$SYNSCAN" -q -sn -n 198.19.0.5 -oX n0.xml >/dev/null 2>&1
check "-n: no PTR name" bash -c '! grep -q "type=\"PTR\"" n0.xml'
in_lab "$SYNSCAN" -sn -R -v 198.19.0.5 198.19.0.8 -oX r.xml >/dev/null 2>&1 # not -q: "-q -v" is verbosity 0, which lists no down host
check "-R -v: the host found down has its PTR name" \
	bash -c "tr -d '\n' <r.xml | sed 's/<\/host>/&\n/g' | grep 'state=\"down\"' | grep -q 'h-198-19-0-8.lab'"
in_lab "$SYNSCAN" -q -sn --dns-servers 198.18.1.2 198.19.0.6 -oX ds.xml >/dev/null 2>&1
check "--dns-servers: the lab's server named" grep -q '<hostname name="h-198-19-0-6.lab" type="PTR"/>' ds.xml
t0=$(date +%s%N)
in_lab "$SYNSCAN" -q -sn --dns-servers 198.19.0.8 198.19.0.6 -oX dz.xml >/dev/null 2>dz.err
rc=$?
t1=$(date +%s%N)
check "--dns-servers silent: exit 0, no name, within 5 s" \
	bash -c "[ $rc -eq 0 ] && ! grep -q 'type=\"PTR\"' dz.xml && [ $(((t1 - t0) / 1000000)) -lt 5000 ]"
echo "# a silent resolver cost $(((t1 - t0) / 1000000)) ms"
finish
# SPDX-License-Identifier: BSD-2-Clause
