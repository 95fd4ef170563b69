#!/bin/bash
# t_hosts.sh: host state and identity as nmap reports them: up by ARP with every port filtered, down when nobody holds the address, -Pn, MAC and vendor, user names, nmap's several-addresses warning, latency; ndiff, python-libnmap and python-nmap against nmap's XML.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3 # Debian's python: python3-libnmap and python3-nmap live there
MACS=/usr/share/nmap/nmap-mac-prefixes
for tool in nmap ndiff; do
	command -v $tool >/dev/null || skip_all "$tool is not installed (scripts/deps installs it)"
done
[ -r $MACS ] || skip_all "$MACS is not installed (nmap-common)"


lab_up hosts
cd "$TMP" || exit 1
# The lab's veth MACs are random: a known OUI (VMware's) on the target, and
# the scanner forgets the old one.
ip netns exec "$LABNAME-tgt" ip link set t0 address 00:50:56:0a:0b:0c
ip netns exec "$LABNAME-scan" ip neigh flush dev s0
check "the lab target's OUI is in nmap-mac-prefixes" grep -q '^005056 VMware' $MACS

# 1. Every probed port filtered (dropped), one address nobody holds: the
# target is up by its ARP answer, the other down; nmap says the same.
in_lab "$SYNSCAN" -q -p 135-139,9000 198.18.0.2 198.18.0.3 -oX f.xml -oG f.gnmap -oJ f.json \
	--csv f.csv -oN f.txt >/dev/null 2>f.err
check "all filtered: exits 0" [ $? -eq 0 ]
check "all filtered: XML up by arp-response, 1 up 1 down" \
	grep -qE '<status state="up" reason="arp-response" reason_ttl="0"/>' f.xml
check "all filtered: <hosts up=\"1\" down=\"1\" total=\"2\"/>" grep -q '<hosts up="1" down="1" total="2"/>' f.xml
check "all filtered: the down address has no <host>" [ "$(grep -c '<host ' f.xml)" -eq 1 ]
check "all filtered: XML MAC address and vendor" \
	grep -q '<address addr="00:50:56:0A:0B:0C" addrtype="mac" vendor="VMware"/>' f.xml
check "all filtered: normal MAC Address line and count" \
	grep -qx 'MAC Address: 00:50:56:0A:0B:0C (VMware)' f.txt
check "all filtered: normal done line counts 2 addresses, 1 up" \
	grep -q '^synscan done: 2 IP addresses (1 host up) scanned in ' f.txt
check "all filtered: grepable Status: Up" grep -qP '^Host: 198\.18\.0\.2 \(\)\tStatus: Up$' f.gnmap
check "all filtered: NDJSON host record" \
	grep -q '"ip":"198.18.0.2","status":"up","reason":"arp-response","ttl":0,"mac":"00:50:56:0A:0B:0C","vendor":"VMware"' f.json
check "all filtered: CSV host row" \
	grep -q '^host,[^,]*,198.18.0.2,,,up,arp-response,0,,mac=00:50:56:0A:0B:0C vendor=VMware$' f.csv
check "all filtered: no record of the down address" \
	bash -c '! grep -qE "\"ip\":\"198\.18\.0\.3\"|^[a-z]+,[^,]*,198\.18\.0\.3,|^Host: 198\.18\.0\.3 " f.json f.csv f.gnmap'
check "records: NDJSON valid against the schema" \
	$PY "$TOP/tests/integration/records.py" ndjson f.json --status done --ports 6
check "records: CSV valid, the NDJSON's ports" \
	$PY "$TOP/tests/integration/records.py" csv f.csv --status done --ports 6 --same-as f.json
in_lab nmap -sS -n -p 135-139,9000 198.18.0.2 198.18.0.3 -oX nf.xml >/dev/null 2>&1
check "nmap: same states, reasons and counts" cmp -s <(hosts_of nf.xml) <(hosts_of f.xml)
ndiff nf.xml f.xml >nd.txt
grep -E '^[-+]' nd.txt | grep -vE '^[-+](Nmap [^ ]+ scan initiated |Not shown: )' >nd.bad
check "ndiff: no host, address (MAC too) or port differs from nmap" [ ! -s nd.bad ]
[ -s nd.bad ] && sed 's/^/# /' nd.txt | head -20
clients_same_hosts "python-libnmap and python-nmap read the same hosts as from nmap's XML" nf.xml f.xml

# With -v down hosts are listed, as nmap -v lists them.
in_lab "$SYNSCAN" -v -p 135-139,9000 198.18.0.2 198.18.0.3 -oX v.xml -oG v.gnmap -oJ v.json \
	--csv v.csv -oN v.txt >/dev/null 2>&1
in_lab nmap -v -sS -n -p 135-139,9000 198.18.0.2 198.18.0.3 -oX nv.xml >/dev/null 2>&1
check "-v: XML lists the down host as nmap -v does" cmp -s <(hosts_of nv.xml) <(hosts_of v.xml)
check "-v: XML down host element" grep -q '^<host><status state="down" reason="no-response" reason_ttl="0"/>$' v.xml
check "-v: grepable Status: Down" grep -qP '^Host: 198\.18\.0\.3 \(\)\tStatus: Down$' v.gnmap
check "-v: normal [host down]" grep -qx 'synscan scan report for 198.18.0.3 \[host down\]' v.txt
if grep -q '"ip":"198.18.0.3","status":"down","reason":"no-response","ttl":0}' v.json &&
	grep -q '^host,[^,]*,198.18.0.3,,,down,no-response,0,,$' v.csv; then
	pass "-v: NDJSON and CSV down host records"
else
	fail "-v: NDJSON and CSV down host records"
fi
check "-v: records valid" $PY "$TOP/tests/integration/records.py" ndjson v.json --status done --ports 6
clients_same_hosts "-v: the XML clients read the down host as from nmap's XML" nv.xml v.xml

# 2. Latency: a host that answered a TCP probe has its round trip.
in_lab "$SYNSCAN" -q -p 22 198.18.0.2 -oX l.xml -oJ l.json -oN l.txt >/dev/null 2>&1
check "latency: normal 'Host is up (Ns latency).'" \
	grep -qE '^Host is up \((0\.0*[1-9][0-9]?|[1-9][0-9]?(\.[0-9])?)s latency\)\.$' l.txt
check "latency: XML <times> with srtt > 0" grep -qE '<times srtt="[1-9][0-9]*" rttvar="[0-9]+" to="[0-9]+"/>' l.xml
check "latency: NDJSON rtt_us" grep -qE '"type":"host".*"rtt_us":[1-9][0-9]*' l.json

# 3. Names given on the command line are kept; a name with several
# addresses gets nmap's warning, word for word.
hosts_dir=/etc/netns/$LABNAME-scan
mkdir -p "$hosts_dir"
printf '%s\n' '127.0.0.1 localhost' '198.18.0.2 dual.lab' '198.18.0.2 multi.lab' \
	'198.18.0.77 multi.lab' >"$hosts_dir/hosts"
in_lab "$SYNSCAN" -q -p 22 dual.lab -oX u.xml -oG u.gnmap -oJ u.json -oN u.txt >/dev/null 2>&1
check "names: normal report for dual.lab (198.18.0.2)" \
	grep -qx 'synscan scan report for dual.lab (198.18.0.2)' u.txt
check "names: grepable Host: 198.18.0.2 (dual.lab)" grep -qP '^Host: 198\.18\.0\.2 \(dual\.lab\)\tStatus: Up$' u.gnmap
check "names: XML <hostname type=user>" grep -q '<hostname name="dual.lab" type="user"/>' u.xml
check "names: NDJSON names" grep -q '"names":\[{"name":"dual.lab","type":"user"}\]' u.json
in_lab nmap -sS -n -p 22 dual.lab -oX nu.xml >/dev/null 2>&1
clients_same_hosts "names: the XML clients read the same name as from nmap's XML" nu.xml u.xml
in_lab "$SYNSCAN" -p 22 multi.lab -oN m.txt >/dev/null 2>m.err
# nmap writes it with -vv only, synscan unless -q; both on stderr.
in_lab nmap -vv -sS -n -p 22 multi.lab 2>nm.err >/dev/null
grep '^Warning: Hostname' nm.err >nm.warn
check "names: nmap's warning for several addresses, word for word" \
	bash -c '[ -s nm.warn ] && grep -qxF -f nm.warn m.err'
in_lab "$SYNSCAN" -q -p 22 multi.lab -oN /dev/null >/dev/null 2>mq.err
check "names: no warning with -q" [ ! -s mq.err ]
check "names: the first address scanned" grep -qx 'synscan scan report for multi.lab (198.18.0.2)' m.txt
rm -rf "$hosts_dir"

# 4. --db: the hosts row carries why it is up and its identity.
in_lab "$SYNSCAN" -q -p 9000 198.18.0.2 --db h.db >/dev/null 2>&1
if [ "$(labcheck sqlite h.db "SELECT up_reason || '|' || mac || '|' || vendor FROM hosts")" = \
		"arp-response|00:50:56:0A:0B:0C|VMware" ]; then
	pass "--db: hosts row with arp-response, MAC and vendor"
else
	fail "--db: hosts row with arp-response, MAC and vendor"
fi

# 5. -Pn behind a router: every target is up (user-set), as nmap lists it;
# without -Pn a routed target is up by its answer to discovery, and one that
# answered nothing is down.
RLAB=it-hostsr-$$
EXTRA_LABS+=("$RLAB")
"$LAB" --name "$RLAB" up --router >"$TMP/rlab.log" 2>&1 || { sed 's/^/# /' "$TMP/rlab.log"; fail "router lab up"; }
rin() { timeout 120 ip netns exec "$RLAB-scan" "$@"; }
rin "$SYNSCAN" -q -Pn -p 22,9000 198.18.1.2 198.18.1.3 -oX p.xml >/dev/null 2>&1
check "-Pn: both routed targets up, user-set" \
	[ "$(grep -c '<status state="up" reason="user-set" reason_ttl="0"/>' p.xml)" -eq 2 ]
check "-Pn: <hosts up=\"2\" down=\"0\"" grep -q '<hosts up="2" down="0" total="2"/>' p.xml
check "-Pn: no MAC for routed targets" bash -c '! grep -q addrtype=\"mac\" p.xml'
rin nmap -sS -n -Pn -p 22,9000 198.18.1.2 198.18.1.3 -oX np.xml >/dev/null 2>&1
check "-Pn: nmap the same (states, reasons, counts)" cmp -s <(hosts_of np.xml) <(hosts_of p.xml)
rin "$SYNSCAN" -q -p 9000 198.18.1.2 198.18.1.3 -oX d.xml >/dev/null 2>&1
if grep -q '<hosts up="1" down="1" total="2"/>' d.xml &&
	grep -q '<status state="up" reason="echo-reply" reason_ttl="63"/>' d.xml; then
	pass "without -Pn: nmap's discovery finds 198.18.1.2 up by its echo reply, 198.18.1.3 (no host) down"
else
	fail "without -Pn: nmap's discovery finds 198.18.1.2 up by its echo reply, 198.18.1.3 (no host) down"
fi
rin nmap -sS -n -p 9000 198.18.1.2 198.18.1.3 -oX nd.xml >/dev/null 2>&1
check "without -Pn: nmap the same (states, reasons, counts)" cmp -s <(hosts_of nd.xml) <(hosts_of d.xml)
rin "$SYNSCAN" -q -PS9000 -p 9000 198.18.1.2 198.18.1.3 -oX e.xml >/dev/null 2>&1
check "-PS9000 (dropped): routed targets that answered nothing are down" \
	grep -q '<hosts up="0" down="2" total="2"/>' e.xml

finish
# SPDX-License-Identifier: BSD-2-Clause
