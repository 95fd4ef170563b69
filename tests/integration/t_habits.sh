#!/bin/bash
# t_habits.sh: nmap, masscan and zmap users' flags: each is taken as the synscan option it means, or refused with one line naming the nearest option or what synscan does instead, never silently read as something else; nmap's timing (-T, --min-rate), time units and --max-runtime.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

lab_up habits
T=198.18.0.2
cd "$TMP" || exit 1
syn_counter_on "$LABNAME-tgt"

# refused TOOL REGEX WORDS...: exit 2, one stderr line "synscan: " matching
# REGEX, nothing on stdout, no file left in the directory.
refused() {
	local tool=$1 re=$2 rc err
	shift 2
	mkdir -p r && (cd r && in_lab "$SYNSCAN" "$@" >../r.out 2>../r.err)
	rc=$?
	err=$(cat r.err)
	if [ "$rc" -eq 2 ] && [ "$(wc -l <r.err)" -eq 1 ] && grep -qE "^synscan: .*$re" r.err &&
		[ ! -s r.out ] && [ -z "$(ls -A r)" ]; then
		pass "$tool: synscan $* -> $err"
	else
		fail "$tool: synscan $* (rc=$rc, want /$re/): $err"
	fi
	rm -rf r
}

# masscan: -c reads a configuration file; synscan once took it for --csv
# and overwrote the file.
printf 'rate = 100\nports = 22\n' >scan.conf
in_lab "$SYNSCAN" -c scan.conf $T >/dev/null 2>c.err
rc=$?
if [ "$rc" -eq 2 ] && grep -q -- "no configuration file.*--csv FILE" c.err; then
	pass "masscan: synscan -c scan.conf: exit 2 naming --csv ($(cat c.err))"
else
	fail "masscan: synscan -c scan.conf: exit 2 naming --csv ($(cat c.err))"
fi
check "masscan: -c left scan.conf as it was" [ "$(cat scan.conf)" = "$(printf 'rate = 100\nports = 22')" ]
refused masscan "configuration file" --conf scan.conf $T
refused masscan "configuration file" --echo $T
refused masscan "does not probe services" --banners -p 80 $T
refused masscan "'-S ADDR'" --adapter-ip 198.18.0.1 $T
refused masscan "'--max-retries'" --retries 2 $T
refused masscan "did you mean '-p PORTS'" --ports 22 $T
refused masscan "targets are operands" --range $T -p 22
refused masscan "did you mean '-PE'\? \(an ICMP echo before the port scan; -sn: the ping alone\)" --ping $T
refused masscan "-oN, -oX, -oG, -oJ FILE" -oB out.bin $T
refused masscan "--router-mac" --router-ip 198.18.0.1 $T
refused masscan "'-iL FILE'" --includefile targets.txt
refused masscan "'--list-targets'" --offline $T

# zmap
refused zmap "'--max-runtime T'" -t 10 -p 22 $T
refused zmap "--rate PPS" -r 1000 -p 22 $T
refused zmap "'--max-rate PPS'" -B 10M -p 22 $T
refused zmap "-oN, -oX, -oG, -oJ FILE" -o out.csv -p 22 $T
refused zmap "OS detection.*-oN, -oX" -O csv -p 22 $T
refused zmap "'-e IFACE'" -i eth0 -p 22 $T
refused zmap "'--excludefile FILE'" -b blocklist.conf -p 22 $T
refused zmap "'-iL FILE'" -w allow.txt -p 22 $T
refused zmap "'--router-mac MAC'" -G 02:00:00:00:00:01 -p 22 $T
refused zmap "'-g PORT'" -s 40000 -p 22 $T
refused zmap "no such interface '1234' \(zmap's -e seed is --seed N\)" -e 1234 -p 22 $T
refused zmap "bad target '100'" -n 100 -p 22 $T
refused zmap "bad target '5'" -v 5 -p 22 $T
refused zmap "--max-runtime T" -N 10 -p 22 $T
refused zmap "'--max-retries N'" -P 2 -p 22 $T
refused zmap "TCP SYN probes only" -M tcp_synscan -p 22 $T
refused zmap "'--version'" -V
refused zmap "'--list-targets'" --dryrun -p 22 $T
refused zmap "'--wait T'" --cooldown-time 5 -p 22 $T
refused zmap "'--shard I/N'" --shards 4 --shard 1 -p 22 $T
refused zmap "'-iL FILE'" -I ips.txt -p 22
# zmap's -d is a dry run; synscan's is nmap's debug, as the man page says.
check "zmap: -d is documented as nmap's debug, not zmap's dry run" \
	grep -q "It is not zmap's dry run" "$TOP/man/synscan.1"

# nmap's modes synscan does not have, and its other words
refused nmap "does not probe services.*nmap -sV" -sV -p 22 $T
refused nmap "no OS detection" -O -p 22 $T
refused nmap "no service, OS or script probing" -A -p 22 $T
refused nmap "runs no scripts" -sC -p 22 $T
refused nmap "runs no scripts" --script vuln -p 22 $T
refused nmap "UDP scans are not supported" -sU -p 53 $T
refused nmap "no connect\(\) scan" -sT -p 22 $T
refused nmap "did you mean '-sn'\? \(nmap's older spelling" -sP $T
refused nmap "no such discovery probe: it has -PE \(echo\), -PP \(timestamp\), -PS\[PORTS\] \(SYN\), -PA\[PORTS\] \(ACK\) and -PR \(ARP/NDP alone\); -Pn skips discovery" -PU -p 22 $T
refused nmap "no such discovery probe" -PY -p 22 $T
refused nmap "no such discovery probe" -PO -p 22 $T
refused nmap "no such discovery probe" -PM -p 22 $T
# nmap's own conflicts with -sn (its words), and its -PS rules
refused nmap "you cannot use -F \(fast scan\) or -p \(explicit port selection\) with -sn" -sn -p 80 $T
refused nmap "you cannot use -F \(fast scan\) or -p \(explicit port selection\) with -sn" -F -sn $T
refused nmap "you cannot use -F \(fast scan\) with -p \(explicit port selection\)" -F -p 22 $T
refused nmap "you cannot use -F \(fast scan\) with -p" -p 22 -F $T
refused nmap "-sn \(skip port scan\) is not valid with any other scan type \(-sS\)" -sn -sS $T
refused nmap "only one -PS option is allowed: combine port ranges with commas" -PS22 -PS80 -p 22 $T
refused nmap "too many -PA ports in '1-17' \(at most 16\)" -PA1-17 -p 22 $T
refused nmap "bad -PS port list '0'" -PS0 -p 22 $T
refused nmap "bad --dns-servers 'ns.example'" --dns-servers ns.example -p 22 $T
refused nmap "TCP SYN probes only" -sA -p 22 $T
refused nmap "--list-targets" -sL $T
refused nmap "did you mean '-Pn'\? \(nmap's older spelling\)" -PN -p 22 $T
refused nmap "only the targets it is given" -iR 10 -p 22
refused nmap "random order" -r -p 22 $T
refused nmap "sends no decoys" -D RND:5 -p 22 $T
refused nmap "lists no interfaces" --iflist
refused nmap "paces by rate" --scan-delay 1s -p 22 $T
refused nmap "--wait T" --max-rtt-timeout 100ms -p 22 $T
refused nmap "UDP scans are not supported.*'U:53'" -p T:22,U:53 $T
refused nmap "did you mean '-oX out.xml'" -oXout.xml -p 22 $T
# An option where a value belongs: a forgotten file name, not a file named so.
refused nmap "option '-oX' needs an argument, not the option '--open' \(a value so spelt goes attached: '-oX=--open'\)" -oX --open -p 22 $T
refused nmap "option '-iL' needs an argument, not the option '-n'" -iL -n -p 22 $T
refused nmap "option '-p' needs an argument, not the option '-oG'" -p -oG g.txt $T
# single-dash long words and abbreviations, taken as other options before
refused nmap "did you mean '--min-rate'" -min-rate 100 -p 22 $T
refused nmap "did you mean '--top-ports'" -top-ports 10 $T
refused any "did you mean '--max-runtime T'" -t 60 -p 22 $T
refused any "did you mean '--list-targets'" -l $T
refused any "did you mean '-e IFACE' \(or '-iL FILE'\)" -i targets.txt
refused any "did you mean '--user'" -u nobody -p 22 $T
refused any "did you mean '--reason' or '--resume'" --re -p 22 $T
refused any "did you mean '--rate' or '--reason' or '--router-mac' or '--resume'" --r 5 $T
refused any "did you mean '--top-ports'" --top 5 $T
check "no refused command line sent a probe ($(syn_counts "$LABNAME-tgt" | wc -l) destinations)" \
	[ -z "$(syn_counts "$LABNAME-tgt")" ]

# Flags the tools share work as they do there.
# nmap's discovery and DNS words are taken (--list-targets: nothing sent).
in_lab "$SYNSCAN" -sn -PE -PP -PS22,443 -PA -PR -nR --dns-servers '198.18.0.53,[2001:db8::53]:53' \
	--list-targets $T >d.out 2>d.err
rc=$?
if [ "$rc" -eq 0 ] && [ "$(cat d.out)" = $T ]; then
	pass "nmap: -sn -PE -PP -PS22,443 -PA -PR -nR --dns-servers are options (rc=$rc: $(cat d.err))"
else
	fail "nmap: -sn -PE -PP -PS22,443 -PA -PR -nR --dns-servers are options (rc=$rc: $(cat d.err))"
fi
refused nmap "bad target '22'" -PS 22 -p 22 $T # nmap too: -PS's ports are attached
echo $T >targets.txt
echo 198.18.0.3 >exclude.txt
in_lab "$SYNSCAN" -sS -Pn -n -q --wait 0.3 -p22 -iL targets.txt -oX s.xml -oG s.gnmap -oN s.nmap \
	-oJ s.json --csv s.csv >/dev/null
if grep -q 'portid="22"><state state="open"' s.xml && grep -q 'Ports: 22/open/tcp' s.gnmap &&
	grep -qE '^22/tcp +open' s.nmap && grep -q '"port":22,"proto":"tcp","state":"open"' s.json &&
	grep -q "^port,[^,]*,$T,22,tcp,open," s.csv; then
	pass "nmap: -sS -Pn -n -p22 -iL -oX -oG -oN: every file names 22 open"
else
	fail "nmap: -sS -Pn -n -p22 -iL -oX -oG -oN: every file names 22 open"
fi
in_lab "$SYNSCAN" -q --wait=0.3 -p 22 -oA base $T >/dev/null
if [ -s base.nmap ] && [ -s base.gnmap ] && [ -s base.xml ]; then
	pass "nmap: -oA base writes base.nmap, base.gnmap, base.xml"
else
	fail "nmap: -oA base writes base.nmap, base.gnmap, base.xml"
fi
# nmap's --resume takes its -oN/-oG output; synscan's takes its resume file.
refused nmap "'$TMP/base.nmap' is not a resume file \(line 1: 'Starting'\): --resume takes the file the interrupted scan named" --resume "$TMP/base.nmap"
refused nmap "'$TMP/base.gnmap' is not a resume file \(line 2: 'Host:'\)" --resume "$TMP/base.gnmap"
refused nmap "'$TMP/base.xml' is not a resume file \(line 1: '<\?xml'\)" --resume "$TMP/base.xml"
in_lab "$SYNSCAN" -q --rate 1000 --wait 0.3 -p 21-23 --open --seed 5 --shard 1/1 --source-port 40000 \
	--excludefile exclude.txt --exclude 198.18.0.9 $T -oJ m.json >/dev/null
check "masscan: --rate --open --seed --shard --source-port --excludefile --exclude: only 22 (open)" \
	[ "$(labcheck ndjson-ports m.json)" = 22 ]
# zmap's -T is a thread count; synscan's -T is nmap's timing, documented so.
in_lab "$SYNSCAN" -T 4 -q -p 22 $T -oJ z.json >/dev/null
check "zmap: -T 4 is nmap's -T4 (aggressive timing): scans" [ "$(labcheck ndjson-ports z.json)" = 22 ]
check "zmap: -T as thread count is documented (--sender-threads)" \
	grep -q "not zmap's thread count" "$TOP/man/synscan.1"

# Counts agree in number: one target, probe, reply, round, address and
# deviation are singular, on stdout and stderr (198.19.0.5 is off the link:
# discovery sends its echo request; -d prints the reverse DNS count).
printf '* * shut\n' >shut.txt
in_lab "$SYNSCAN" -PE -d -p 22 --wait 0.2 --expect shut.txt 198.19.0.5 >one.out 2>one.err
rc=$?
check "one of each: exit 3 (22 is open, the policy says shut) (rc=$rc)" [ "$rc" -eq 3 ]
check "one of each: the banner names 1 target, 1 port, 1 probe and the interface s0" \
	grep -qE '^Scanning 1 target x 1 port \(1 probe\) .* on s0, ' one.out
check "one of each: discovery says 1 of 1 host up, 1 probe in 1 round: $(grep discovery one.err)" \
	grep -qE '^synscan: host discovery: 1 of 1 host up \(echo; 1 probe in 1 round, ' one.err
check "one of each: reverse DNS counts 1 address: $(grep 'reverse DNS' one.err)" \
	grep -qE '^synscan: reverse DNS: [01] names? for 1 address ' one.err
check "one of each: the summary says 1/1 probe sent, 1 reply" grep -qE '^synscan: 1/1 probe sent .* 1 reply, ' one.err
check "one of each: 1 deviation" grep -qx 'synscan: policy: 1 deviation' one.err
plural=$(cat one.out one.err | grep -E '(^|[^0-9.,/])1 (targets|hosts|ports|probes|rounds|replies|names|addresses|deviations)([^a-z]|$)')
check "one of each: no count of 1 with a plural noun (${plural:-none})" [ -z "$plural" ]
# A target on the scanner's link is decided by route planning's ARP: the
# discovery line names that, not probes it did not send.
in_lab "$SYNSCAN" -p 22 --wait 0.2 -oN /dev/null $T >/dev/null 2>arp.err
check "on-link target: discovery says ARP/NDP only: $(grep discovery arp.err)" \
	grep -qE '^synscan: host discovery: 1 of 1 host up \(ARP/NDP only; 0 probes in 0 rounds, ' arp.err

# Timing: templates, floors and time units.
elapsed() { awk "BEGIN { printf \"%.2f\", $(date +%s.%N) - $1 }"; }
start=$(date +%s.%N)
in_lab "$SYNSCAN" -T1 --wait 100ms -q -p 1-15 $T -oJ t1.json >/dev/null
took=$(elapsed "$start")
if awk "BEGIN { exit !($took > 1.3) }" && [ "$(grep -c '"type":"port"' t1.json)" -eq 15 ]; then
	pass "-T1: 15 probes at 10 pps at most take over 1.3 s ($took s), all 15 ports reported"
else
	fail "-T1: 15 probes at 10 pps at most take over 1.3 s ($took s), all 15 ports reported"
fi
start=$(date +%s.%N)
in_lab "$SYNSCAN" -T2 --min-rate 2000 --wait 0.2 -q -p 1-1000 $T -oJ t2.json >/dev/null
took=$(elapsed "$start")
if awk "BEGIN { exit !($took < 4) }" && [ "$(grep -c '"type":"port"' t2.json)" -eq 1000 ]; then
	pass "-T2 --min-rate 2000: the floor raises -T2's 100 pps ceiling: 1000 probes in $took s (< 4)"
else
	fail "-T2 --min-rate 2000: the floor raises -T2's 100 pps ceiling: 1000 probes in $took s (< 4)"
fi
# --min-rate with each template, in either order: every port reported, the
# floor keeping even -T1 (10 pps: 100 s for 1000 ports) under 4 s.
for combo in "-T1 --min-rate 1000" "--min-rate 1000 -T1" "-T4 --min-rate 5000" "-T5 --min-rate 50000"; do
	start=$(date +%s.%N)
	# shellcheck disable=SC2086 # $combo: its words
	in_lab "$SYNSCAN" $combo --wait 0.2 -q -p 1-1000 $T -oJ c.json >/dev/null 2>c.err
	rc=$?
	took=$(elapsed "$start")
	n=$(grep -c '"type":"port"' c.json)
	if [ "$rc" -eq 0 ] && [ "$n" -eq 1000 ] && awk "BEGIN { exit !($took < 4) }"; then
		pass "$combo: exit 0, 1000 ports in $took s (< 4)"
	else
		fail "$combo: rc=$rc, $n ports in $took s (want 0, 1000, < 4): $(head -1 c.err)"
	fi
done
in_lab "$SYNSCAN" --min-rate 50000 --wait 0.3 -q -p 1-2000 $T -oJ f.json >/dev/null 2>f.err
rc=$?
if [ "$rc" -eq 0 ] && [ "$(grep -c '"type":"port"' f.json)" -eq 2000 ]; then
	pass "--min-rate 50000 alone is a floor, not an error (rc=$rc, $(grep -c '"type":"port"' f.json) ports)"
else
	fail "--min-rate 50000 alone is a floor, not an error (rc=$rc, $(grep -c '"type":"port"' f.json) ports)"
fi
in_lab "$SYNSCAN" --wait 500ms --stats-every 2s -q -p 22 $T >/dev/null 2>u.err
check "time units: --wait 500ms --stats-every 2s accepted ($(cat u.err))" [ $? -eq 0 ]
refused units "bad wait '5x'" --wait 5x -p 22 $T
refused units "bad --max-runtime '0'" --max-runtime 0 -p 22 $T

# --max-runtime and --host-timeout stop sending as SIGINT does: exit 4, the
# answers so far, outputs that say interrupted, a resume file that continues
# the scan. Fractional times in two units.
for spec in "--max-runtime 1.5s 1.5" "--host-timeout 500ms 0.5"; do
	read -r opt t secs <<<"$spec"
	rm -f p.resume p.resume.state
	start=$(date +%s.%N)
	in_lab "$SYNSCAN" -p- --max-rate 5000 "$opt" "$t" --wait 0.2 --pause-file "$TMP/p.resume" $T \
		-oJ rt.json -oX rt.xml >/dev/null 2>rt.err
	rc=$?
	took=$(elapsed "$start")
	check "$opt $t: exit 4, as interrupted (rc=$rc)" [ "$rc" -eq 4 ]
	check "$opt $t: stopped after $took s ($secs s, the wait, < $secs + 2 s in all)" \
		awk "BEGIN { exit !($took < $secs + 2 && $took >= $secs) }"
	check "$opt $t: says interrupted, names the resume file" grep -q "continue with: synscan --resume $TMP/p.resume" rt.err
	check "$opt $t: the resume file is written" [ -s p.resume ]
	check "$opt $t: -oX says interrupted, with the probes not sent" \
		grep -qE 'exit="error" errormsg="interrupted; [1-9][0-9]* of 65535 probes not sent"' rt.xml
	n=$(grep -c '"type":"port"' rt.json)
	if [ "$n" -gt 100 ] && [ "$n" -lt 65535 ]; then
		pass "$opt $t: answers written ($n), fewer than 65535"
	else
		fail "$opt $t: answers written ($n), fewer than 65535"
	fi
done
finish
# SPDX-License-Identifier: BSD-2-Clause
