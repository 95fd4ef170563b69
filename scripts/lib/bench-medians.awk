# bench-medians.awk: scripts/bench's medians: reads the rows ("workload|tool|config|run|wall|send|pps|correct|expected|rss|drops|note") and prints "workload|tool|config|wall|send|pps|correct|expected|rss|drops|runs", one line per tool and configuration, in the order they first ran.
# Usage: awk -F'|' -f bench-medians.awk ROWS
function median(key, col,    n, i, j, t, v, a) {
	n = 0
	for (i = 1; i <= cnt[key]; i++) {
		v = val[key, i, col]
		if (v ~ /^[0-9.]+$/)
			a[++n] = v + 0
	}
	if (!n)
		return "-"
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	key = $1 "|" $2 "|" $3
	if (!(key in cnt))
		order[++nk] = key
	cnt[key]++
	for (c = 5; c <= 11; c++)
		val[key, cnt[key], c] = $c
}
END {
	# wall, send, pps, correct, expected, rss, drops
	split("%.2f %.3f %.0f %.0f %.0f %.1f %.0f", fmt, " ")
	for (k = 1; k <= nk; k++) {
		key = order[k]
		line = key
		for (c = 5; c <= 11; c++) {
			m = median(key, c)
			line = line "|" (m == "-" ? m : sprintf(fmt[c - 4], m))
		}
		print line "|" cnt[key]
	}
}
# SPDX-License-Identifier: BSD-2-Clause
