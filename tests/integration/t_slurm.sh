#!/bin/bash
# t_slurm.sh: one scan as a Slurm job array of 4 shards (deploy/slurm/synscan-array.sbatch) on a one-node Slurm cluster of the test's own, merged, equals the unsharded scan and the lab's expectation.
# tags: lab release
# Slurm and munge run from the test's temporary directory (SLURM_CONF, a
# munged on a private socket with a key made here, slurmctld and slurmd on
# free high TCP ports, addressed as 127.0.0.1); the system's /etc/slurm and
# munge are not used. Every scan runs in the lab's scanner namespace. Skipped (77) with SYNSCAN_SKIP_SLURM=1, without slurm-wlm
# (scripts/deps installs it) or when the cluster does not come up.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

N=4
SEED=4242
PORTS=1-2000
TARGET=198.18.0.2
T=120 # seconds any one step may take
ARGS=(-q -p "$PORTS" --rate 20000 --wait 0.5 "$TARGET")
SBATCH_SCRIPT=$TOP/deploy/slurm/synscan-array.sbatch

[ "${SYNSCAN_SKIP_SLURM:-0}" = 1 ] && skip_all "SYNSCAN_SKIP_SLURM=1"
for tool in slurmctld slurmd sbatch sinfo scontrol munged munge unmunge ss; do
	command -v "$tool" >/dev/null || skip_all "$tool is not installed (scripts/deps installs slurm-wlm)"
done

SD=$TMP/slurm
MD=$TMP/munge
SOCK=$MD/munge.socket
daemon_pids=()
OUR_CONF=

# our_stepds: the pids of the slurmstepd processes of this test's slurmd
# (those with this test's SLURM_CONF in their environment).
our_stepds() {
	local pid
	for pid in $(pgrep -x slurmstepd); do
		tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -qxF "SLURM_CONF=$OUR_CONF" && echo "$pid"
	done
}
no_stepds() { [ -z "$(our_stepds)" ]; }

# slurm_down: stops the daemons this test started (slurmd, slurmctld, munged),
# once the job steps of its slurmd have ended (after 10 s they are killed).
slurm_down() {
	local pid
	if [ -n "$OUR_CONF" ]; then
		wait_for 10 no_stepds ||
			for pid in $(our_stepds); do kill -9 "$pid" 2>/dev/null; done
	fi
	for pid in "${daemon_pids[@]+"${daemon_pids[@]}"}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${daemon_pids[@]+"${daemon_pids[@]}"}"; do
		timeout 10 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null
	done
	daemon_pids=()
}
trap 'slurm_down; cleanup' EXIT

# free_port: a TCP port in 20000-59999 nothing listens on.
free_port() {
	local p i
	for i in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return 0; }
	done
	return 1
}

# wait_for SECONDS CMD...: true once CMD succeeds, polling every 0.2 s.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt "$end" ] || return 1
		sleep 0.2
	done
}

# no_start WHAT LOG: skips the test, showing the end of LOG.
no_start() {
	tail -n 15 "$2" 2>/dev/null | sed 's/^/# /'
	skip_all "$1 did not start (log above)"
}

node_idle() { [ "$(sinfo -h -N -n "$HOST" -o %t 2>/dev/null)" = idle ]; }
munge_works() { munge -S "$SOCK" -n | unmunge -S "$SOCK"; }

# ---- a one-node cluster of the test's own ----
HOST=$(hostname -s)
mkdir -m 700 "$MD"
mkdir -p "$SD/state" "$SD/spool"
if command -v mungekey >/dev/null; then
	mungekey --create --keyfile="$MD/munge.key" 2>"$MD/mungekey.err" || no_start mungekey "$MD/mungekey.err"
else
	dd if=/dev/urandom of="$MD/munge.key" bs=1024 count=1 status=none
fi
chmod 400 "$MD/munge.key"
munged --foreground --force --socket="$SOCK" --key-file="$MD/munge.key" \
	--pid-file="$MD/munged.pid" --log-file="$MD/munged.log" --seed-file="$MD/munged.seed" \
	>>"$MD/munged.log" 2>&1 &
daemon_pids+=($!)
wait_for 10 munge_works || no_start munged "$MD/munged.log"

CTLD_PORT=$(free_port) || skip_all "no free TCP port for slurmctld"
SLURMD_PORT=$(free_port) || skip_all "no free TCP port for slurmd"
[ "$CTLD_PORT" != "$SLURMD_PORT" ] || SLURMD_PORT=$((CTLD_PORT + 1))
OUR_CONF=$SD/slurm.conf
export SLURM_CONF=$OUR_CONF
cat >"$SLURM_CONF" <<CONF
ClusterName=synscanlab
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCK
StateSaveLocation=$SD/state
SlurmdSpoolDir=$SD/spool
SlurmctldPidFile=$SD/slurmctld.pid
SlurmdPidFile=$SD/slurmd.pid
SlurmctldLogFile=$SD/slurmctld.log
SlurmdLogFile=$SD/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MailProg=/bin/true
MinJobAge=600
KillWait=5
SlurmdParameters=config_overrides
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=lab Nodes=ALL Default=YES MaxTime=30 State=UP
CONF
slurmctld -D -i >"$SD/slurmctld.out" 2>&1 &
daemon_pids+=($!)
slurmd -D -N "$HOST" >"$SD/slurmd.out" 2>&1 &
daemon_pids+=($!)
if ! wait_for 60 node_idle; then
	sinfo 2>&1 | sed 's/^/# sinfo: /'
	cat "$SD/slurmd.out" "$SD/slurmd.log" >"$SD/both.log" 2>/dev/null
	cat "$SD/slurmctld.out" "$SD/slurmctld.log" >>"$SD/both.log" 2>/dev/null
	no_start "slurm (node $HOST not idle in 60 s)" "$SD/both.log"
fi
echo "# slurm $(slurmctld -V | awk '{print $2}'): node $HOST idle, slurmctld port $CTLD_PORT, slurmd port $SLURMD_PORT"

# db_states DB: "PORT STATE REASON" of $TARGET in DB's latest complete scan.
db_states() {
	local q="SELECT port, state, reason FROM ports WHERE addr = '$TARGET' AND scan_id =
		(SELECT id FROM scans WHERE complete = 1 ORDER BY started DESC, id DESC LIMIT 1)
		ORDER BY port;"
	if command -v sqlite3 >/dev/null; then
		sqlite3 -separator ' ' "$1" "$q"
	else
		labcheck sqlite "$1" "$q"
	fi
}

# task_ok I FILE: FILE, task I's output, says it ran shard I of N with the seed and exited 0.
task_ok() {
	grep -q "^synscan-array: job $JOB task $1 on $HOST: shard $1/$N, seed $SEED," "$2" &&
		grep -qx "synscan-array: shard $1/$N: exit status 0" "$2"
}
# once_each FILE: FILE's "PORT ..." lines are ports 1-2000, each once.
once_each() { [ "$(cut -d' ' -f1 "$1" | sort -n | tr '\n' ' ')" = "$(seq 2000 | tr '\n' ' ')" ]; }
# same_syns A B: the "ADDR PORT COUNT" lists are equal and cover 2000 ports.
same_syns() { [ "$(wc -l <"$1")" -eq 2000 ] && cmp -s "$1" "$2"; }

# step_refused RC: sbatch's RC and the tasks' output files of the --array=1-3:2 job.
step_refused() {
	[ "$1" -eq 2 ] && [ ! -e "$TMP/step" ] &&
		[ "$(cat "$TMP"/out/step-*.out | grep -c '^synscan-array: the array must be one range with step 1')" -eq 2 ]
}

# ---- the scan as a job array, every task in the lab's scanner namespace ----
lab_up slurm
syn_counter_on "$LABNAME-tgt"
# The batch script runs $SYNSCAN; this one is synscan inside the lab.
cat >"$TMP/synscan-in-lab" <<WRAP
#!/bin/sh
exec ip netns exec "$LABNAME-scan" "$SYNSCAN" "\$@"
WRAP
chmod 755 "$TMP/synscan-in-lab"
mkdir "$TMP/out"
start=$SECONDS
rc=0
(cd "$TMP/out" && timeout $T sbatch --wait --parsable --array=1-$N --job-name=synscan-it \
	--output="$TMP/out/task-%a.out" \
	--export="ALL,SEED=$SEED,OUT=$TMP/out,SYNSCAN=$TMP/synscan-in-lab" \
	"$SBATCH_SCRIPT" "${ARGS[@]}") >"$TMP/sbatch.out" 2>"$TMP/sbatch.err" || rc=$?
sed 's/^/# sbatch: /' "$TMP/sbatch.out" "$TMP/sbatch.err"
echo "# the job array took $((SECONDS - start)) s"
check "sbatch --array=1-$N --wait exits 0" [ $rc -eq 0 ]
JOB=$(grep -m1 -oE '^[0-9]+' "$TMP/sbatch.out")
if [ -z "$JOB" ]; then
	fail "sbatch printed a job id"
	finish
	exit 1
fi
scontrol -o show job "$JOB" >"$TMP/job.txt" 2>&1
# one line per array task: ArrayTaskId, JobState, ExitCode
sed -n 's/.*ArrayTaskId=\([^ ]*\) .*JobState=\([^ ]*\) .*ExitCode=\([^ ]*\) .*/\1 \2 \3/p' \
	"$TMP/job.txt" | sort -n >"$TMP/tasks.txt"
sed 's/^/# task state exit: /' "$TMP/tasks.txt"
check "slurmctld lists $N array tasks of job $JOB, each COMPLETED with exit code 0:0" \
	[ "$(printf '%s\n' $(seq $N) | sed 's/$/ COMPLETED 0:0/')" = "$(cat "$TMP/tasks.txt")" ]
for i in $(seq $N); do
	f=$TMP/out/task-$i.out
	sed "s/^/# task $i: /" "$f" 2>/dev/null
	check "task $i ran shard $i/$N with seed $SEED and exited 0 (its output file)" task_ok "$i" "$f"
done
syn_counts "$LABNAME-tgt" | sort >"$TMP/shard-syns.txt"
ip netns exec "$LABNAME-tgt" nft flush set inet probes seen

# ---- merged versus one unsharded scan and the lab's expectation ----
# The merge as deploy/README.md says: a job that depends on the array.
rc=0
merge_cmd="$TMP/synscan-in-lab merge --db $TMP/merged.db$(printf " $TMP/out/shard-%d.db" $(seq $N))"
(cd "$TMP/out" && timeout $T sbatch --wait --dependency="afterok:$JOB" --kill-on-invalid-dep=yes \
	--job-name=synscan-merge --output="$TMP/merge.out" --wrap "$merge_cmd") >/dev/null 2>&1 || rc=$?
sed 's/^/# merge: /' "$TMP/merge.out"
check "synscan merge of the $N shard databases, a job after the array (afterok), exits 0" [ $rc -eq 0 ]
rc=0
in_lab "$SYNSCAN" --seed $SEED "${ARGS[@]}" --db "$TMP/single.db" >/dev/null || rc=$?
check "the unsharded scan exits 0" [ $rc -eq 0 ]
syn_counts "$LABNAME-tgt" | sort >"$TMP/single-syns.txt"

for i in $(seq $N); do db_states "$TMP/out/shard-$i.db"; done | sort -n >"$TMP/union.txt"
db_states "$TMP/merged.db" >"$TMP/merged.txt"
db_states "$TMP/single.db" >"$TMP/single.txt"
expected_states "$PORTS" >"$TMP/expected.txt"
sizes=()
for i in $(seq $N); do sizes+=("$(db_states "$TMP/out/shard-$i.db" | wc -l)"); done
echo "# ports per shard: ${sizes[*]}"
check "every shard recorded some ports" [ "$(printf '%s\n' "${sizes[@]}" | grep -c '^[1-9]')" -eq $N ]
check "the shards recorded 2000 ports together, each exactly once" once_each "$TMP/union.txt"
same_lines "the merged scan equals the shards' union" "$TMP/union.txt" "$TMP/merged.txt"
same_lines "the merged scan equals the unsharded scan (port, state, reason)" "$TMP/single.txt" "$TMP/merged.txt"
same_lines "the merged scan equals the lab's expectation" "$TMP/expected.txt" "$TMP/merged.txt"
check "the shards probed ports 1-2000 of $TARGET, each as often as the unsharded scan did" \
	same_syns "$TMP/single-syns.txt" "$TMP/shard-syns.txt"
echo "# SYNs per port (count: ports): shards $(awk '{print $3}' "$TMP/shard-syns.txt" | sort -n | uniq -c | awk '{printf "%s:%s ", $2, $1}')"

# ---- the batch script refuses an array that is not one range of step 1 ----
rc=0
(cd "$TMP/out" && timeout $T sbatch --wait --array=1-3:2 --output="$TMP/out/step-%a.out" \
	--export="ALL,OUT=$TMP/step,SYNSCAN=$TMP/synscan-in-lab" \
	"$SBATCH_SCRIPT" "${ARGS[@]}") >/dev/null 2>&1 || rc=$?
cat "$TMP"/out/step-*.out 2>/dev/null | sed 's/^/# step array: /'
check "an array with step 2 fails (exit 2) before any scan, saying why" step_refused $rc
echo "# total $SECONDS s"
finish
