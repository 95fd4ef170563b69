#!/bin/bash
# t_synproxy.sh: a host whose SYN proxy answers every port is flagged, not reported as simply 1000 open ports.
# tags: lab
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

lab_up synproxy
# nftables' synproxy answers every SYN to 198.19.250.1 with a SYN-ACK (cookies).
ip netns exec "$LABNAME-tgt" nft -f - <<'NFT'
table ip sp {
	chain raw {
		type filter hook prerouting priority raw; policy accept;
		ip daddr 198.19.250.1 tcp flags syn notrack
	}
	chain in {
		type filter hook input priority -10; policy accept;
		ip daddr 198.19.250.1 tcp flags & (syn | ack) == syn ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm
		ip daddr 198.19.250.1 ct state invalid drop
	}
}
NFT
in_lab "$SYNSCAN" -q -p 1-1000 --wait 0.5 198.19.250.1 198.19.250.2 -oJ "$TMP/s.json" >"$TMP/s.txt"
check "scan exits 0" [ $? -eq 0 ]
check "the SYN proxy host is flagged in normal output" \
	grep -qx 'Warning: SYN-ACK on 1000 of 1000 ports: a SYN proxy or tarpit answers for this host; its open ports are not confirmed.' "$TMP/s.txt"
check "NDJSON has a host record flagging it" \
	grep -qE '^\{"type":"host","time":"[^"]+","ip":"198.19.250.1","status":"up","reason":"(echo-reply|timestamp-reply|syn-ack|reset)","ttl":64,"synproxy":true,"open":1000,"probed":1000(,"rtt_us":[1-9][0-9]*)?\}$' "$TMP/s.json"
check "and its 1000 port lines" [ "$(grep -c '"ip":"198.19.250.1","port"' "$TMP/s.json")" -eq 1000 ]
check "the ordinary host next to it is not flagged" \
	[ "$(grep '"ip":"198.19.250.2"' "$TMP/s.json" | grep -c synproxy)" -eq 0 ]
check "exactly one warning" [ "$(grep -c '^Warning: SYN-ACK' "$TMP/s.txt")" -eq 1 ]
finish
