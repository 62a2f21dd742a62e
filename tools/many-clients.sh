#!/usr/bin/env bash
# Many clients on one machine: starts a private 4-node cluster with a
# 2 x 2 distributed-replicated volume and one FUSE mount per rank, runs
# `mpirun -np RANKS gfbench` on it (each rank: its own libgfapi connection
# and its own mount), prints rank 0's summary with the "All clients" table,
# and removes everything. Arguments go to gfbench; RANKS (default 4) sets
# the rank count.
#
#   bash tools/many-clients.sh --sizes 100MiB --block-sizes 1MiB --ops write,read --reorder-reads 1
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${GFBENCH_BUILD_DIR:-$root/build}
ranks=${RANKS:-4}
bash "$root/tools/install-deps.sh"
bash "$root/tools/build.sh" >/dev/null
links=$(mktemp -d /tmp/gfbench-ranks-XXXXXX)
trap 'rm -rf "$links"' EXIT
# --posix LINKS/m%r: rank r's own mount, through a link named for it.
exec_in_sandbox=(
  "$build/tools/gfbench-sandbox" --quiet --nodes 4 --replica-count 2 --fuse-mounts "$ranks" --
  bash -c '
    links=$1; ranks=$2; gfbench=$3; shift 3
    IFS=, read -ra mounts <<< "$GFBENCH_FUSE_MOUNTS"
    for ((r = 0; r < ranks; r++)); do ln -s "${mounts[$r]}" "$links/m$r"; done
    mpirun --allow-run-as-root --oversubscribe --mca odls_base_sigkill_timeout 10 -np "$ranks" \
      "$gfbench" --volume "$GFBENCH_VOLUME" --server "$GFBENCH_SERVER" \
      --posix "$links/m%r=fuse" "$@"' bash "$links" "$ranks" "$build/tools/gfbench" "$@"
)
"${exec_in_sandbox[@]}"
