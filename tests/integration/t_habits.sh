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
[ "$rc" -eq 2 ] && grep -q -- "no configuration file.*--csv FILE" c.err
verdict $? "masscan: synscan -c scan.conf: exit 2 naming --csv ($(cat c.err))"
check "masscan: -c left scan.conf as it was" [ "$(cat scan.conf)" = "$(printf 'rate = 100\nports = 22')" ]
refused masscan "configuration file" --conf scan.conf $T
refused masscan "configuration file" --echo $T
refused masscan "does not probe services" --banners -p 80 $T
refused masscan "'-S ADDR'" --adapter-ip 198.18.0.1 $T
refused masscan "'--max-retries'" --retries 2 $T
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
refused nmap "paces by rate" --scan-delay 1s -p 22 $T
refused nmap "--wait T" --max-rtt-timeout 100ms -p 22 $T
refused nmap "UDP scans are not supported.*'U:53'" -p T:22,U:53 $T
refused nmap "did you mean '-oX out.xml'" -oXout.xml -p 22 $T
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
[ "$rc" -eq 0 ] && [ "$(cat d.out)" = $T ]
verdict $? "nmap: -sn -PE -PP -PS22,443 -PA -PR -nR --dns-servers are options (rc=$rc: $(cat d.err))"
refused nmap "bad target '22'" -PS 22 -p 22 $T # nmap too: -PS's ports are attached
echo $T >targets.txt
echo 198.18.0.3 >exclude.txt
in_lab "$SYNSCAN" -sS -Pn -n -q --wait 0.3 -p22 -iL targets.txt -oX s.xml -oG s.gnmap -oN s.nmap \
	-oJ s.json --csv s.csv >/dev/null
grep -q 'portid="22"><state state="open"' s.xml && grep -q 'Ports: 22/open/tcp' s.gnmap &&
	grep -qE '^22/tcp +open' s.nmap && grep -q '"port":22,"proto":"tcp","state":"open"' s.json &&
	grep -q "^port,[^,]*,$T,22,tcp,open," s.csv
verdict $? "nmap: -sS -Pn -n -p22 -iL -oX -oG -oN: every file names 22 open"
in_lab "$SYNSCAN" -q --wait=0.3 -p 22 -oA base $T >/dev/null
[ -s base.nmap ] && [ -s base.gnmap ] && [ -s base.xml ]
verdict $? "nmap: -oA base writes base.nmap, base.gnmap, base.xml"
in_lab "$SYNSCAN" -q --rate 1000 --wait 0.3 -p 21-23 --open --seed 5 --shard 1/1 --source-port 40000 \
	--excludefile exclude.txt --exclude 198.18.0.9 $T -oJ m.json >/dev/null
check "masscan: --rate --open --seed --shard --source-port --excludefile --exclude: only 22 (open)" \
	[ "$(labcheck ndjson-ports m.json)" = 22 ]
# zmap's -T is a thread count; synscan's -T is nmap's timing, documented so.
in_lab "$SYNSCAN" -T 4 -q -p 22 $T -oJ z.json >/dev/null
check "zmap: -T 4 is nmap's -T4 (aggressive timing): scans" [ "$(labcheck ndjson-ports z.json)" = 22 ]
check "zmap: -T as thread count is documented (--sender-threads)" \
	grep -q "not zmap's thread count" "$TOP/man/synscan.1"

# Timing: templates, floors and time units.
elapsed() { awk "BEGIN { printf \"%.2f\", $(date +%s.%N) - $1 }"; }
start=$(date +%s.%N)
in_lab "$SYNSCAN" -T1 --wait 100ms -q -p 1-15 $T -oJ t1.json >/dev/null
took=$(elapsed "$start")
awk "BEGIN { exit !($took > 1.3) }" && [ "$(grep -c "\"type\":\"port\"" t1.json)" -eq 15 ]
verdict $? "-T1: 15 probes at 10 pps at most take over 1.3 s ($took s), all 15 ports reported"
start=$(date +%s.%N)
in_lab "$SYNSCAN" -T2 --min-rate 2000 --wait 0.2 -q -p 1-1000 $T -oJ t2.json >/dev/null
took=$(elapsed "$start")
awk "BEGIN { exit !($took < 4) }" && [ "$(grep -c "\"type\":\"port\"" t2.json)" -eq 1000 ]
verdict $? "-T2 --min-rate 2000: the floor raises -T2's 100 pps ceiling: 1000 probes in $took s (< 4)"
in_lab "$SYNSCAN" --min-rate 50000 --wait 0.3 -q -p 1-2000 $T -oJ f.json >/dev/null 2>f.err
rc=$?
[ "$rc" -eq 0 ] && [ "$(grep -c "\"type\":\"port\"" f.json)" -eq 2000 ]
verdict $? "--min-rate 50000 alone is a floor, not an error (rc=$rc, $(grep -c "\"type\":\"port\"" f.json) ports)"
in_lab "$SYNSCAN" --wait 500ms --stats-every 2s -q -p 22 $T >/dev/null 2>u.err
check "time units: --wait 500ms --stats-every 2s accepted ($(cat u.err))" [ $? -eq 0 ]
refused units "bad wait '5x'" --wait 5x -p 22 $T
refused units "bad --max-runtime '0'" --max-runtime 0 -p 22 $T

# --max-runtime and --host-timeout stop sending as SIGINT does: the answers
# so far, a resume file that continues the scan.
for opt in --max-runtime --host-timeout; do
	rm -f p.resume p.resume.state
	start=$(date +%s.%N)
	in_lab "$SYNSCAN" -p- --max-rate 5000 "$opt" 1s --wait 0.2 --pause-file "$TMP/p.resume" $T \
		-oJ rt.json >/dev/null 2>rt.err
	took=$(elapsed "$start")
	check "$opt 1s: stopped after $took s (1 s, the wait, < 3 s in all)" awk "BEGIN { exit !($took < 3 && $took >= 1) }"
	check "$opt 1s: says interrupted, names the resume file" grep -q "continue with: synscan --resume $TMP/p.resume" rt.err
	[ "$(wc -l <rt.json)" -gt 100 ] && [ "$(wc -l <rt.json)" -lt 65535 ]
	verdict $? "$opt 1s: answers written ($(wc -l <rt.json)), fewer than 65535"
done
finish
# SPDX-License-Identifier: BSD-2-Clause
