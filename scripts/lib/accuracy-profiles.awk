# accuracy-profiles.awk: scripts/accuracy --profiles' table: one line per profile, tool and run (syns per probe, the lower bound and wall / bound computed here), and with runs > 1 a line per profile and tool: median wall time and x_bound, lowest and highest count of correct ports.
# Usage: awk -v runs=N -f accuracy-profiles.awk   (stdin: the rows
#        "profile tool run wall correct n wrong syns probes bound_num bound_den note..."; bound_den 0 = no bound)
function num(s) { return s ~ /^[0-9]+(\.[0-9]+)?$/ }
function ratio(a, b, fmt) { return (num(a) && num(b) && b > 0) ? sprintf(fmt, a / b) : "-" }
function line(p, t, r, w, c, wr, sy, spp, b, x, note,    s) {
	s = sprintf("%-8s %-13s ", p, t)
	if (runs > 1)
		s = s sprintf("%-4s ", r)
	s = s sprintf("%-8s %-15s %-7s %-9s %-14s %-8s %-8s %s", w, c, wr, sy, spp, b, x, note)
	sub(/ +$/, "", s)
	return s
}
# median of the n values v[1..n] (sorted here; n is small)
function median(v, n,    i, j, t) {
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
	return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
BEGIN { print line("profile", "tool", "run", "wall_s", "correct/N", "wrong", "syns", "syns_per_probe", "bound_s", "x_bound", "note") }
{
	note = $0
	for (i = 1; i <= 11; i++)
		sub(/^[^ ]+ +/, "", note)
	if (NF < 12)
		note = ""
	bound = ratio($10, $11, "%.2f")
	x = (bound == "-") ? "-" : ratio($4, $10 / $11, "%.2f")
	print line($1, $2, $3, $4, $5 "/" $6, $7, $8, ratio($8, $9, "%.3f"), bound, x, note)
	key = $1 " " $2
	if (!(key in n))
		order[++nk] = key
	k = ++n[key]
	wall[key, k] = $4
	xb[key, k] = x
	if (k == 1 || $5 < lo[key]) lo[key] = $5
	if (k == 1 || $5 > hi[key]) hi[key] = $5
	total[key] = $6
}
END {
	if (runs <= 1)
		exit
	printf "\n%-8s %-13s %-14s %-15s %-12s %s\n", "profile", "tool", "median_wall_s", "median_x_bound", "min_correct", "max_correct"
	for (i = 1; i <= nk; i++) {
		key = order[i]
		split(key, pt, " ")
		for (k = 1; k <= n[key]; k++) { w[k] = wall[key, k]; xv[k] = xb[key, k] }
		mx = (xv[1] == "-") ? "-" : sprintf("%.2f", median(xv, n[key]))
		printf "%-8s %-13s %-14.2f %-15s %-12s %s\n", pt[1], pt[2], median(w, n[key]), mx, lo[key] "/" total[key], hi[key] "/" total[key]
	}
}
# SPDX-License-Identifier: BSD-2-Clause
