#!/usr/bin/env bash
# Compares gfbench's write kernel with a bare libgfapi loop
# (gfbench-bare-pwrite: glfs_creat, then glfs_pwrite of one block size over
# the file, timed; glfs_fsync and glfs_close untimed, as gfbench does) on one
# volume, at the same file and block sizes. The two alternate in rounds
# (gfbench first in odd rounds, the bare loop first in even ones) so that a
# slow stretch of a noisy machine hits both; each round runs `--passes`
# passes of each. Prints the median rate of each per cell, their ratio, the
# ratio per round, and whether gfbench is within `--tolerance` of the loop.
#
#   tools/compare-bare.sh [--volume V --server HOST | --posix DIR] [--sizes 100MiB]
#                         [--block-sizes 4KiB,1MiB] [--rounds 6] [--passes 5]
#                         [--buffer file|block] [--tolerance 0.03]
#
# --posix DIR compares gfbench's POSIX target with an open/pwrite loop in the
# local directory DIR instead. On tmpfs (/dev/shm) a 4 KiB pwrite takes a
# few microseconds, so what gfbench's own loop adds per record (two clock
# reads, a histogram update, the watchdog's counter) shows plainly; on a
# volume, a record takes tens of microseconds and the machine's noise
# hides it.
#
# --buffer file (default): the bare loop writes each record from its own
# place in a file-sized buffer, as gfbench writes its file-sized pattern;
# --buffer block: from one cache-hot block, as fio does.
# Without --volume (and without GFBENCH_VOLUME) it runs itself under
# `gfbench-sandbox --volume gfs-volume-proxmox`, like compare-fio.sh.
# Exit status 0 when every cell is within the tolerance, 1 otherwise.
set -euo pipefail

name=compare-bare
# shellcheck source=tools/compare-common.sh
. "$(dirname "$0")/compare-common.sh"
args=("$@")

volume=""
server=""
posix_dir=""
sizes="100MiB"
block_sizes="4KiB,1MiB"
rounds=6
passes=5
buffer=file
tolerance=0.03

while [ $# -gt 0 ]; do
  case "$1" in
    --volume) volume=$2; shift 2 ;;
    --server) server=$2; shift 2 ;;
    --posix) posix_dir=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --block-sizes) block_sizes=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --passes) passes=$2; shift 2 ;;
    --buffer) buffer=$2; shift 2 ;;
    --tolerance) tolerance=$2; shift 2 ;;
    -h|--help) compare_usage 0 ;;
    *) echo "compare-bare: unknown argument $1" >&2; compare_usage 2 ;;
  esac
done

compare_require python3
if [ -n "$posix_dir" ]; then
  if [ -n "$volume" ]; then echo "compare-bare: --posix and --volume exclude each other" >&2; exit 2; fi
  [ -d "$posix_dir" ] || { echo "compare-bare: $posix_dir is not a directory" >&2; exit 2; }
  posix_dir=$(cd "$posix_dir" && pwd)
else
  compare_volume_or_sandbox "${args[@]}"
fi

out=$(mktemp -d "${TMPDIR:-/tmp}/compare-bare-XXXXXX")
trap 'rm -rf "$out"' EXIT

# Where both write: a volume through libgfapi, or a local directory.
if [ -n "$posix_dir" ]; then
  where="directory $posix_dir"
  gfbench_where=(--posix "$posix_dir")
  bare_where=(--posix "$posix_dir")
else
  where="volume $volume on $server"
  gfbench_where=(--volume "$volume" --server "$server")
  bare_where=(--volume "$volume" --server "$server")
fi
echo "$where; sizes $sizes; block sizes $block_sizes;" \
  "$rounds rounds of $passes passes each; bare buffer: $buffer" >&2

run_gfbench() {  # <size> <bs> <round>
  "$build/tools/gfbench" "${gfbench_where[@]}" --ops write --sizes "$1" \
    --block-sizes "$2" "--benchmark_repetitions=$passes" \
    "--benchmark_out=$out/gfbench-$1-$2-$3.json" --benchmark_out_format=json \
    --log-level warn >"$out/gfbench-$1-$2-$3.txt" 2>&1 || {
    cat "$out/gfbench-$1-$2-$3.txt" >&2
    exit 1
  }
}
run_bare() {  # <size> <bs> <round>
  "$build/tools/gfbench-bare-pwrite" "${bare_where[@]}" --size "$1" \
    --bs "$2" --passes "$passes" --buffer "$buffer" \
    --path "/gfbench-bare-$$-$3" >"$out/bare-$1-$2-$3.txt"
}

IFS=, read -r -a size_list <<<"$sizes"
IFS=, read -r -a block_list <<<"$block_sizes"
for size in "${size_list[@]}"; do
  for bs in "${block_list[@]}"; do
    for round in $(seq 1 "$rounds"); do
      echo "+ size $size bs $bs round $round" >&2
      if [ $((round % 2)) = 1 ]; then
        run_gfbench "$size" "$bs" "$round"
        run_bare "$size" "$bs" "$round"
      else
        run_bare "$size" "$bs" "$round"
        run_gfbench "$size" "$bs" "$round"
      fi
    done
  done
done

python3 - "$out" "$sizes" "$block_sizes" "$rounds" "$tolerance" "$buffer" "$where" <<'PY'
import json, re, statistics, sys

out, sizes, blocks = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
rounds, tolerance, buffer, where = int(sys.argv[4]), float(sys.argv[5]), sys.argv[6], sys.argv[7]
MiB = 1024 * 1024
ok = True
loop = "pwrite" if where.startswith("directory") else "glfs_pwrite"
print(f"gfbench write kernel vs bare {loop} loop ({buffer} buffer) on {where}, MiB/s, "
      f"median over {rounds} rounds")
print(f"{'size':>7} {'bs':>5} {'gfbench':>9} {'bare':>9} {'ratio':>6}  per-round ratios")
for size in sizes:
    for bs in blocks:
        g_all, b_all, per_round = [], [], []
        for r in range(1, rounds + 1):
            text = open(f"{out}/gfbench-{size}-{bs}-{r}.json").read()
            bench = json.loads(text[text.index("{"):])["benchmarks"]
            g = [b["bytes_per_second"] for b in bench
                 if b.get("run_type") == "iteration" and not b.get("error_occurred")]
            bare = [float(m) for m in re.findall(r"^pass \d+: .* bytes_per_second (\d+)",
                                                 open(f"{out}/bare-{size}-{bs}-{r}.txt").read(), re.M)]
            g_all += g
            b_all += bare
            per_round.append(statistics.median(g) / statistics.median(bare))
        g_med, b_med = statistics.median(g_all) / MiB, statistics.median(b_all) / MiB
        ratio = g_med / b_med
        within = ratio >= 1 - tolerance
        ok = ok and within
        rounds_text = " ".join(f"{x:.2f}" for x in per_round)
        print(f"{size:>7} {bs:>5} {g_med:9.1f} {b_med:9.1f} {ratio:6.3f}  {rounds_text}"
              f"{'' if within else '  <- more than ' + format(tolerance, '.0%') + ' slower'}")
sys.exit(0 if ok else 1)
PY
