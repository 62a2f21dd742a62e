#!/usr/bin/env bash
# What gfbench's own code costs per request, in instructions, counted by
# callgrind (valgrind's instruction counter, not a clock: the same on a
# busy machine as on an idle one). Each case runs on a local directory
# twice, with files of 2048 and of 4096 records of 4 KiB; the difference
# of the whole process's instructions, divided by the 2048 records more,
# is the cost of one record's request and everything that scales with it
# (the untimed lay-out and checks too), without the fixed costs (start,
# set-up, tear-down). Queued cases reap completions in batches that vary
# from run to run: each count is the median of 3 runs. Give two builds to
# compare them, e.g. before and after a change of the hot path:
#
#   tools/count-instructions.sh [BIN...]       (default: build/tools/gfbench)
#
# Cases: the IOzone loop (write; read, warm) and a queued case (random_write
# and random_read at queue depth 8, one thread, io_uring). Needs valgrind.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- "$root/build/tools/gfbench"
command -v valgrind >/dev/null || { echo "count-instructions: needs valgrind" >&2; exit 1; }
work=$(mktemp -d /tmp/gfbench-instructions-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/dir"

cases=(
  "loop write|--ops write"
  "loop read|--ops read --read-cache warm"
  "queued random_write|--ops random_write --queue-depth 8 --threads 1"
  "queued random_read|--ops random_read --queue-depth 8 --threads 1 --read-cache warm"
)

# The instructions (Ir) of one whole run.
instructions() {
  local bin=$1 size=$2 flags=$3 out=$work/callgrind.out
  # shellcheck disable=SC2086  # the flags are words
  valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" --posix "$work/dir" \
    --sizes "$size" --block-sizes 4KiB $flags --benchmark_repetitions=1 --log-level warn \
    >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  awk '/^(summary|totals):/ {print $2; exit}' "$out"
}

k=0
for bin in "$@"; do k=$((k + 1)); echo "build $k: $bin"; done
printf '%-22s' "case"
k=0
for _ in "$@"; do k=$((k + 1)); printf '  %28s' "build $k"; done
printf '\n'
for c in "${cases[@]}"; do
  name=${c%%|*}
  flags=${c#*|}
  printf '%-22s' "$name"
  for bin in "$@"; do
    per=()
    for _ in 1 2 3; do
      small=$(instructions "$bin" 8MiB "$flags")
      large=$(instructions "$bin" 16MiB "$flags")
      per+=($(( (large - small) / 2048 )))
    done
    median=$(printf '%s\n' "${per[@]}" | sort -n | sed -n 2p)
    printf '  %28s' "$median instructions/request"
  done
  printf '\n'
done
