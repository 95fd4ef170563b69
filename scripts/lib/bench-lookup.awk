# bench-lookup.awk: scripts/bench's questions to its medians file: q=median (one median of a tool and configuration), q=configs (a tool's configurations, one a line) or q=best (its configuration with the highest median pps).
# Usage: awk -F'|' -v q=median -v key='WORKLOAD|TOOL|CONFIG' -v field=FIELD -f bench-lookup.awk MEDIANS
#        (FIELD: wall send pps correct expected rss drops; nothing printed if
#        that tool and configuration did not run)
#        awk -F'|' -v q=configs -v w=WORKLOAD -v t=TOOL -f bench-lookup.awk MEDIANS
#        awk -F'|' -v q=best -v w=WORKLOAD -v t=TOOL -f bench-lookup.awk MEDIANS
BEGIN { split("wall send pps correct expected rss drops", names, " "); for (i in names) col[names[i]] = i + 3 }
q == "median" && $1 "|" $2 "|" $3 == key { print $col[field]; exit }
q == "configs" && $1 == w && $2 == t { print $3 }
q == "best" && $1 == w && $2 == t && $6 ~ /^[0-9.]+$/ && (best == "" || $6 + 0 > max) { best = $3; max = $6 + 0 }
END { if (q == "best") print best }
# SPDX-License-Identifier: BSD-2-Clause
