#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (Debian 12, as root, no systemd needed): the node is
# this host, the only partition is `debug`. Used by CI and for development of the Slurm executor.
# Idempotent: installs packages only when missing, rewrites the config, restarts nothing that already
# answers. Exits non-zero with a clear message when the node does not become idle.
#
# Environment:
#   SLURM_CONF_DIR   where slurm.conf goes (default /etc/slurm)
#   SLURM_MAX_TIME   partition MaxTime (default 60 = minutes)
#   SLURM_WAIT_S     how long to wait for the node to become idle (default 60)
set -euo pipefail

conf_dir="${SLURM_CONF_DIR:-/etc/slurm}"
max_time="${SLURM_MAX_TIME:-60}"
wait_s="${SLURM_WAIT_S:-60}"
state_dir=/var/spool/slurmctld
spool_dir=/var/spool/slurmd
log_dir=/var/log/slurm
run_dir=/run/slurm

fail() { echo "start-one-node-cluster: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (it installs packages and starts daemons)"

missing=()
for bin in slurmctld slurmd sinfo munged; do
  command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
done
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || fail "missing ${missing[*]} and no apt-get to install them (Debian 12 expected)"
  echo "start-one-node-cluster: installing slurmctld slurmd slurm-client munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed"
  apt-get install -y -qq slurmctld slurmd slurm-client munge >/dev/null || fail "apt-get install failed"
fi

host="$(hostname -s)"
cpus="$(nproc)"
mem_kb="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
# Leave ~10% (at least 512 MB) to the OS so slurmd's own measurement never falls below the config.
mem_mb=$(( mem_kb / 1024 ))
reserve=$(( mem_mb / 10 > 512 ? mem_mb / 10 : 512 ))
real_mem=$(( mem_mb - reserve ))
# slurmd -C reports the socket/core/thread layout slurmd itself will register; a config that disagrees
# with it leaves the node drained ("Low socket*core*thread count").
topology="$(slurmd -C 2>/dev/null | awk 'NR==1 { for (i = 1; i <= NF; i++) if ($i ~ /^(Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore)=/) printf "%s ", $i }')"

# --- munge ---------------------------------------------------------------------------------------------
if [ ! -s /etc/munge/munge.key ]; then
  if command -v mungekey >/dev/null 2>&1; then
    mungekey --create --keyfile=/etc/munge/munge.key
  else
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
  fi
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
chmod 0755 /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged --force || fail "munged did not start (see /var/log/munge/munged.log)"
  for _ in $(seq 1 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.25; done
  munge -n | unmunge >/dev/null 2>&1 || fail "munge does not answer (see /var/log/munge/munged.log)"
fi

# --- slurm.conf ----------------------------------------------------------------------------------------
mkdir -p "$conf_dir" "$state_dir" "$spool_dir" "$log_dir" "$run_dir"
cat > "$conf_dir/slurm.conf.new" <<EOF
# Written by scripts/slurm/start-one-node-cluster.sh: one node (this host), one partition.
ClusterName=sonic
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state_dir
SlurmdSpoolDir=$spool_dir
SlurmctldPidFile=$run_dir/slurmctld.pid
SlurmdPidFile=$run_dir/slurmd.pid
SlurmctldLogFile=$log_dir/slurmctld.log
SlurmdLogFile=$log_dir/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
# Containers have no usable cgroups: track processes through /proc, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=30
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ReturnToService=2
# Kill jobs right at their time limit; give them 5 s after SIGTERM.
OverTimeLimit=0
KillWait=5
InactiveLimit=0
MinJobAge=300
# Jobs without --mem get this much per CPU instead of the whole node (which would serialise all jobs).
DefMemPerCPU=512
NodeName=$host CPUs=$cpus ${topology}RealMemory=$real_mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=$max_time State=UP
EOF
config_changed=1
if [ -f "$conf_dir/slurm.conf" ] && cmp -s "$conf_dir/slurm.conf" "$conf_dir/slurm.conf.new"; then
  config_changed=0
fi
mv "$conf_dir/slurm.conf.new" "$conf_dir/slurm.conf"
chmod 0644 "$conf_dir/slurm.conf"

# --- daemons -------------------------------------------------------------------------------------------
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

if pid_alive "$run_dir/slurmctld.pid" && [ "$config_changed" = 1 ]; then
  scontrol reconfigure >/dev/null 2>&1 || true
fi
if ! pid_alive "$run_dir/slurmctld.pid"; then
  slurmctld || fail "slurmctld did not start (see $log_dir/slurmctld.log)"
fi
for _ in $(seq 1 40); do scontrol ping 2>/dev/null | grep -q 'is UP' && break; sleep 0.25; done
scontrol ping 2>/dev/null | grep -q 'is UP' || fail "slurmctld does not answer (see $log_dir/slurmctld.log)"

if ! pid_alive "$run_dir/slurmd.pid"; then
  slurmd || fail "slurmd did not start (see $log_dir/slurmd.log)"
fi

# A node left DOWN/DRAIN by an earlier run (e.g. after a config change) is put back into service.
deadline=$(( $(date +%s) + wait_s ))
state=""
while [ "$(date +%s)" -lt "$deadline" ]; do
  state="$(sinfo -h -n "$host" -o '%T' 2>/dev/null | head -n1)"
  case "$state" in
    idle|mixed|allocated|completing) break ;;
    down*|drain*|drained*) scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5
done
case "$state" in
  idle|mixed|allocated|completing) ;;
  *)
    reason="$(sinfo -h -n "$host" -o '%E' 2>/dev/null | head -n1)"
    fail "node $host is '${state:-unknown}' after ${wait_s}s (reason: ${reason:-none}); see $log_dir/slurmd.log and $log_dir/slurmctld.log"
    ;;
esac
echo "start-one-node-cluster: node $host is $state (CPUs=$cpus RealMemory=${real_mem}MB, partition debug, MaxTime=$max_time min)"
