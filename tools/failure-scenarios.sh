#!/usr/bin/env bash
# The scenarios of docs/failures.md, each as one gfbench run on a sandbox
# of its own: every layout (replica 2, the seed's; replica 3; arbiter;
# disperse) under a hung brick, a killed brick and a silent node, and a
# network.ping-timeout sweep (10 s and 42 s side by side, hangs longer than
# twice the longer one). Each run writes its summary and report under OUT;
# the last lines of every summary are collected in OUT/scenarios.txt.
#
#   tools/failure-scenarios.sh [--out DIR] [--only NAME] [--list]
#
# Each scenario takes 3 to 12 minutes: a silent brick is found only by the
# clients' ping timer, and after it the self-heal daemon may only look at
# its next crawl of the index (cluster.heal-timeout, 600 s); the runs go on
# until the heal is over (--until-healed). All of them take about two hours.
# Run one with --only (e.g. --only replica2-hang-node); --list names them.
# Needs root and a build (GFBENCH_BUILD_DIR or build/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${GFBENCH_BUILD_DIR:-$root/build}
gfbench=$build/tools/gfbench
out=/tmp/gfbench-failures-$(date -u +%Y%m%dT%H%M%SZ)
only=""
list=false
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --list) list=true; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "failure-scenarios: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# The workload of every scenario: a VM disk's OLTP mix, 4 KiB random at
# queue depth 32, on a 256 MiB image, through libgfapi (the client a PVE 8
# VM disk uses).
# Replicated layouts go on writing until the heal is over (--until-healed),
# so its cost to the workload is on the timeline. Disperse keeps a file that
# is being written in its heal index until the writes stop, so there the
# pass ends 10 s after the fault and the heal is followed after it.
common=(--workload oltp-4k --sizes 256MiB --benchmark_filter=gfapi)

# name | flags
scenarios=(
  "replica2-hang-brick|--until-healed --sandbox replica2 --fault hang-brick:2@15s+100s"
  "replica2-kill-brick|--until-healed --sandbox replica2 --fault kill-brick:2@15s+60s"
  "replica2-hang-node|--until-healed --sandbox replica2 --fault hang-node:2@15s+100s"
  "replica3-hang-brick|--until-healed --sandbox replica3 --fault hang-brick:2@15s+100s"
  "replica3-kill-brick|--until-healed --sandbox replica3 --fault kill-brick:2@15s+60s"
  "replica3-hang-node|--until-healed --sandbox replica3 --fault hang-node:2@15s+100s"
  "arbiter-hang-brick|--until-healed --sandbox arbiter --fault hang-brick:2@15s+100s"
  "arbiter-kill-brick|--until-healed --sandbox arbiter --fault kill-brick:2@15s+60s"
  "arbiter-hang-node|--until-healed --sandbox arbiter --fault hang-node:2@15s+100s"
  "disperse-hang-brick|--sandbox disperse --fault hang-brick:2@15s+100s"
  "disperse-kill-brick|--sandbox disperse --fault kill-brick:2@15s+60s"
  "disperse-hang-node|--sandbox disperse --fault hang-node:2@15s+100s"
  "ping-timeout-sweep|--until-healed --sandbox replica2 --volume-set network.ping-timeout=10,42 --volume-set cluster.heal-timeout=60 --fault hang-brick:2@15s+100s"
)

if $list; then
  for s in "${scenarios[@]}"; do echo "${s%%|*}: gfbench ${common[*]} ${s#*|}"; done
  exit 0
fi
[ -x "$gfbench" ] || { echo "failure-scenarios: no $gfbench; build first" >&2; exit 1; }
mkdir -p "$out"
for s in "${scenarios[@]}"; do
  name=${s%%|*}
  [ -z "$only" ] || [ "$only" = "$name" ] || continue
  read -r -a flags <<<"${s#*|}"
  echo "== $name: gfbench ${common[*]} ${flags[*]}" | tee -a "$out/scenarios.txt"
  status=0
  "$gfbench" "${common[@]}" "${flags[@]}" --report "$out/$name" >"$out/$name.out" 2>"$out/$name.err" ||
    status=$?
  awk '/^(Stalls|Through the failure)/ {on = 1} on' "$out/$name.out" | tee -a "$out/scenarios.txt"
  echo "exit $status" | tee -a "$out/scenarios.txt"
done
echo "failure-scenarios: everything in $out"
