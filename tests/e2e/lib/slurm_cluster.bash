# A one-node Slurm cluster for the end-to-end tests, entirely inside a scratch folder: its own
# munged (own key and socket), slurmctld and slurmd on free ports, stopped by process id.
# Usage: slurm_cluster_start DIR; slurm_cluster_stop (also on EXIT); slurm_cluster_dump_logs.

SLURM_CLUSTER_PIDS=()
SLURM_CLUSTER_DIR=

free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

slurm_cluster_start() {
  local dir=$1 d
  SLURM_CLUSTER_DIR=$dir
  mkdir -p "$dir"/{state,spool,munge,log}
  chmod 700 "$dir/munge"

  mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null
  munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/munged.seed" --log-file="$dir/log/munged.log" \
    || { cat "$dir/log/munged.log" >&2; fail "munged did not start"; }
  for _ in $(seq 50); do [ -s "$dir/munge/munged.pid" ] && break; sleep 0.1; done
  SLURM_CLUSTER_PIDS+=("$(cat "$dir/munge/munged.pid")")

  local mem_mb; mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
  cat > "$dir/slurm.conf" <<CONF
ClusterName=steper-e2e
SlurmctldHost=localhost
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
PlugStackConfig=$dir/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
SchedulerParameters=sched_interval=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  : > "$dir/plugstack.conf"
  export SLURM_CONF=$dir/slurm.conf

  slurmctld -D -i -f "$SLURM_CONF" > "$dir/log/slurmctld.out" 2>&1 &
  SLURM_CLUSTER_PIDS+=("$!")
  slurmd -D -N localhost -f "$SLURM_CONF" > "$dir/log/slurmd.out" 2>&1 &
  SLURM_CLUSTER_PIDS+=("$!")

  # Ready when the node accepts jobs.
  local state=
  for _ in $(seq 120); do
    state=$(sinfo -h -n localhost -o '%t' 2>/dev/null || true)
    case "$state" in idle|mix|alloc) echo "slurm: one-node cluster up (node $state)"; return 0 ;; esac
    sleep 0.5
  done
  slurm_cluster_dump_logs
  fail "the Slurm node did not become idle within 60 s (state: '${state:-no answer}')"
}

slurm_cluster_dump_logs() {
  local f
  for f in "$SLURM_CLUSTER_DIR"/log/*; do
    [ -f "$f" ] || continue
    echo "----- $f (last 60 lines)" >&2
    tail -n 60 "$f" >&2
  done
}

# Stops the daemons this script started, by process id: TERM, then KILL after 10 s.
slurm_cluster_stop() {
  local pid
  for pid in "${SLURM_CLUSTER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SLURM_CLUSTER_PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  SLURM_CLUSTER_PIDS=()
}

# Waits until squeue lists nothing of job $1 (pending, running or requeued), at most $2 s.
slurm_wait_job() {
  local job=$1 limit=${2:-300} waited=0 queued status
  while true; do
    status=0; queued=$(squeue -h -j "$job" -o '%i %T' 2>&1) || status=$?
    # A finished job leaves the queue; once purged, squeue calls its id invalid.
    if [ "$status" -ne 0 ]; then
      grep -q "Invalid job id" <<<"$queued" && return 0
      slurm_cluster_dump_logs; fail "squeue -j $job failed: $queued"
    fi
    [ -z "$queued" ] && return 0
    [ "$waited" -lt $((limit * 2)) ] || { echo "$queued" >&2; slurm_cluster_dump_logs; fail "job $job still queued after $limit s"; }
    sleep 0.5; waited=$((waited + 1))
  done
}
