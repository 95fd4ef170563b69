# bench-table.awk: scripts/bench's table of one workload: its rows, and a median row after each tool and configuration that ran more than once (sweep and sparse: frames at the target in the pps field's place).
# Usage: awk -F'|' -v w=WORKLOAD -v runs=N -f bench-table.awk ROWS MEDIANS
function fmt(f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12,    s) {
	s = sprintf("%-9s %-20s %-7s %8s", f2, f3, f4, f5)
	if (w == "sink")
		s = s sprintf(" %8s %9s %-17s", f6, f7, f8 "/" f9)
	else if (w == "sweep" || w == "sparse")
		s = s sprintf(" %9s %-16s %7s", f7, f8 "/" f9, f11)
	else
		s = s sprintf(" %-15s %7s", f8 "/" f9, f11)
	s = s sprintf(" %8s  %s", f10, f12)
	sub(/ +$/, "", s)
	return s
}
FILENAME == ARGV[1] {
	if ($1 == w) {
		key = $2 "|" $3
		if (!(key in n))
			order[++nk] = key
		rows[key, ++n[key]] = $0
	}
	next
}
$1 == w { med[$2 "|" $3] = $0 }
END {
	if (w == "sink")
		hdr = sprintf("%-9s %-20s %-7s %8s %8s %9s %-17s %8s  %s", "tool", "config", "run", "wall_s", "send_s", "pps", "sunk/expected", "rss_MiB", "note")
	else if (w == "sweep" || w == "sparse")
		hdr = sprintf("%-9s %-20s %-7s %8s %9s %-16s %7s %8s  %s", "tool", "config", "run", "wall_s", "pkts_in", "correct/expected", "drops", "rss_MiB", "note")
	else
		hdr = sprintf("%-9s %-20s %-7s %8s %-15s %7s %8s  %s", "tool", "config", "run", "wall_s", "correct/expected", "drops", "rss_MiB", "note")
	sub(/ +$/, "", hdr)
	print hdr
	for (k = 1; k <= nk; k++) {
		key = order[k]
		for (i = 1; i <= n[key]; i++) {
			split(rows[key, i], f, "|")
			print fmt(f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12])
		}
		if (n[key] > 1) {
			split(med[key], m, "|")
			print fmt(w, m[2], m[3], "median", m[4], m[5], m[6], m[7], m[8], m[9], m[10], "")
		}
	}
}
# SPDX-License-Identifier: BSD-2-Clause
