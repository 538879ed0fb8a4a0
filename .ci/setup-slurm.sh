#!/usr/bin/env bash
# A one-node Slurm cluster on this machine for test/cluster/slurm.test.ts.
#
#   .ci/setup-slurm.sh start DIR   install slurmctld slurmd slurm-client munge if missing (apt-get),
#                                  create the munge key if missing, start munged as the munge user,
#                                  write DIR/slurm.conf (state, spool, logs in DIR), start slurmctld
#                                  and slurmd, wait until the node is idle. Idempotent.
#   .ci/setup-slurm.sh stop DIR    stop what `start DIR` started (by the pid files in DIR).
#
# Clients then need SLURM_CONF=DIR/slurm.conf. Needs root (or password-less sudo): slurmd runs as
# root, as on every Slurm cluster. Exit status non-zero when the cluster could not be started.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  if ! sudo -n true 2>/dev/null; then echo "setup-slurm: needs root or password-less sudo" >&2; exit 1; fi
  SUDO="sudo -n"
fi

stop_pidfile() { # stop_pidfile FILE: SIGTERM the process whose pid FILE holds, then wait for it
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f" 2>/dev/null || true)
  if [ -n "$pid" ] && $SUDO kill -0 "$pid" 2>/dev/null; then
    $SUDO kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do $SUDO kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  $SUDO rm -f "$f"
}

if [ "$cmd" = stop ]; then
  stop_pidfile "$dir/slurmd.pid"
  stop_pidfile "$dir/slurmctld.pid"
  # munged only if this script started it
  if [ -f "$dir/munged.started" ]; then stop_pidfile "$dir/munged.pid"; rm -f "$dir/munged.started"; fi
  echo "setup-slurm: stopped the cluster of $dir"
  exit 0
fi
[ "$cmd" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

# 1. packages (apt-get update once, only when something is missing)
missing=()
for p in slurmctld slurmd slurm-client munge; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || { echo "setup-slurm: ${missing[*]} missing and no apt-get" >&2; exit 1; }
  echo "setup-slurm: installing ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

mkdir -p "$dir/state" "$dir/spool" "$dir/logs"
dir=$(cd "$dir" && pwd)

# 2. munge: key, then munged as the munge user (reuse a running one)
if ! $SUDO test -s /etc/munge/munge.key; then
  $SUDO mkdir -p /etc/munge
  if command -v mungekey >/dev/null; then $SUDO mungekey --create --keyfile=/etc/munge/munge.key
  else $SUDO dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none; fi
  $SUDO chown munge:munge /etc/munge/munge.key
  $SUDO chmod 0400 /etc/munge/munge.key
fi
if ! munge -n </dev/null >/dev/null 2>&1; then
  $SUDO mkdir -p /run/munge /var/log/munge /var/lib/munge
  $SUDO chown munge:munge /run/munge /var/log/munge /var/lib/munge
  $SUDO runuser -u munge -- /usr/sbin/munged
  touch "$dir/munged.started"
  for _ in $(seq 1 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  cp /run/munge/munged.pid "$dir/munged.pid" 2>/dev/null || true
  for _ in $(seq 1 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.2; done
fi
munge -n </dev/null | unmunge >/dev/null || { echo "setup-slurm: munge does not work" >&2; exit 1; }

# 3. slurm.conf
host=$(hostname -s)
mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
cat >"$dir/slurm.conf" <<EOF
ClusterName=seqrate-ci
SlurmctldHost=$host
SlurmUser=root
SlurmctldPort=${SEQRATE_SLURMCTLD_PORT:-6917}
SlurmdPort=${SEQRATE_SLURMD_PORT:-6918}
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/logs/slurmctld.log
SlurmdLogFile=$dir/logs/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MinJobAge=300
KillWait=5
NodeName=$host CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$dir/slurm.conf"

# 4. daemons (restarted if this folder's are not running)
running() { [ -f "$1" ] && $SUDO kill -0 "$(cat "$1")" 2>/dev/null; }
running "$dir/slurmctld.pid" || $SUDO env SLURM_CONF="$SLURM_CONF" /usr/sbin/slurmctld -f "$SLURM_CONF"
running "$dir/slurmd.pid" || $SUDO env SLURM_CONF="$SLURM_CONF" /usr/sbin/slurmd -f "$SLURM_CONF"

# 5. wait for the node to be idle
for _ in $(seq 1 150); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
  if [ "$state" = idle ]; then echo "setup-slurm: node $host idle (SLURM_CONF=$SLURM_CONF)"; exit 0; fi
  sleep 0.2
done
echo "setup-slurm: node $host not idle after 30 s (state '${state:-}'); logs in $dir/logs" >&2
tail -n 20 "$dir/logs/slurmctld.log" "$dir/logs/slurmd.log" >&2 2>/dev/null || true
exit 1
