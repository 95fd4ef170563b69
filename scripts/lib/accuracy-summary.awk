# accuracy-summary.awk: scripts/accuracy's line for one tool over several runs: its median wall time and its lowest and highest count of correct ports.
# Usage: awk -v tool=TOOL -f accuracy-summary.awk   (stdin: the rows "tool run wall correct ...")
$1 == tool { w[++n] = $3; c = $4; if (n == 1 || c < lo) lo = c; if (n == 1 || c > hi) hi = c }
END {
	# sort the wall times (n is small)
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (w[j] + 0 < w[i] + 0) { t = w[i]; w[i] = w[j]; w[j] = t }
	med = (n % 2) ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2
	printf "%-9s %-14.2f %-12s %s\n", tool, med, lo, hi
}
# SPDX-License-Identifier: BSD-2-Clause
