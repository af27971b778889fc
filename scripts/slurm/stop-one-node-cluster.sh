#!/usr/bin/env bash
# Stops the daemons started by start-one-node-cluster.sh (slurmd, slurmctld, munged), by their pid files.
# Jobs still running are cancelled first. Leaves the packages and the config in place.
set -uo pipefail

run_dir=/run/slurm

stop_pid_file() {
  local name="$1" file="$2"
  [ -f "$file" ] || return 0
  local pid
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "stop-one-node-cluster: $name (pid $pid) did not stop on SIGTERM; sending SIGKILL" >&2
      kill -9 "$pid" 2>/dev/null
    fi
  fi
  rm -f "$file"
}

[ "$(id -u)" = 0 ] || { echo "stop-one-node-cluster: must run as root" >&2; exit 1; }

if command -v scancel >/dev/null 2>&1 && scontrol ping 2>/dev/null | grep -q 'is UP'; then
  scancel --user=root 2>/dev/null || true
fi
stop_pid_file slurmd "$run_dir/slurmd.pid"
stop_pid_file slurmctld "$run_dir/slurmctld.pid"
stop_pid_file munged /run/munge/munged.pid
echo "stop-one-node-cluster: stopped"
