#!/usr/bin/env bash
# Compares gfbench's write, rewrite and read kernels with a bare libgfapi
# loop (gfbench-bare-pwrite: glfs_pwrite or glfs_pread of one block size
# over the file, timed; the create or open, fsync and close around it
# untimed, as gfbench does) on one volume, at the same file and block sizes.
# Reads are warm on both sides: the file was just written. The two alternate in rounds
# (gfbench first in odd rounds, the bare loop first in even ones) so that a
# slow stretch of a noisy machine hits both; each round runs `--passes`
# passes of each. Prints the median rate of each per cell, their ratio, the
# ratio per round, and whether gfbench is within `--tolerance` of the loop.
#
#   tools/compare-bare.sh [--volume V --server HOST | --posix DIR] [--sizes 100MiB]
#                         [--block-sizes 4KiB,1MiB] [--ops write,rewrite,read]
#                         [--rounds 6] [--passes 5] [--buffer block|file] [--tolerance 0.03]
#
# --posix DIR compares gfbench's POSIX target with an open/pwrite/pread loop
# in the directory DIR instead (a local one, or a FUSE mount). On tmpfs (/dev/shm) a 4 KiB pwrite takes a
# few microseconds, so what gfbench's own loop adds per record (two clock
# reads, a histogram update, the watchdog's counter) shows plainly; on a
# volume, a record takes tens of microseconds and the machine's noise
# hides it.
#
# --buffer block (default): the bare loop reuses one cache-hot block, as
# gfbench, IOzone and fio do; --buffer file: each record has its own place in
# a file-sized buffer.
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
ops="write,rewrite,read"
rounds=6
passes=5
buffer=block
tolerance=0.03

while [ $# -gt 0 ]; do
  case "$1" in
    --volume) volume=$2; shift 2 ;;
    --server) server=$2; shift 2 ;;
    --posix) posix_dir=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --block-sizes) block_sizes=$2; shift 2 ;;
    --ops) ops=$2; shift 2 ;;
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
for op in ${ops//,/ }; do
  case "$op" in
    write|rewrite|read) ;;
    *) echo "compare-bare: --ops takes write, rewrite and read, not $op" >&2; exit 2 ;;
  esac
done
echo "$where; ops $ops; sizes $sizes; block sizes $block_sizes;" \
  "$rounds rounds of $passes passes each; bare buffer: $buffer" >&2

run_gfbench() {  # <op> <size> <bs> <round>
  "$build/tools/gfbench" "${gfbench_where[@]}" --ops "$1" --read-cache warm --sizes "$2" \
    --block-sizes "$3" "--benchmark_repetitions=$passes" \
    "--benchmark_out=$out/gfbench-$1-$2-$3-$4.json" --benchmark_out_format=json \
    --log-level warn >"$out/gfbench-$1-$2-$3-$4.txt" 2>&1 || {
    cat "$out/gfbench-$1-$2-$3-$4.txt" >&2
    exit 1
  }
}
run_bare() {  # <op> <size> <bs> <round>
  "$build/tools/gfbench-bare-pwrite" "${bare_where[@]}" --op "$1" --size "$2" \
    --bs "$3" --passes "$passes" --buffer "$buffer" \
    --path "/gfbench-bare-$$-$4" >"$out/bare-$1-$2-$3-$4.txt"
}

IFS=, read -r -a size_list <<<"$sizes"
IFS=, read -r -a block_list <<<"$block_sizes"
IFS=, read -r -a op_list <<<"$ops"
for op in "${op_list[@]}"; do
  for size in "${size_list[@]}"; do
    for bs in "${block_list[@]}"; do
      for round in $(seq 1 "$rounds"); do
        echo "+ $op size $size bs $bs round $round" >&2
        if [ $((round % 2)) = 1 ]; then
          run_gfbench "$op" "$size" "$bs" "$round"
          run_bare "$op" "$size" "$bs" "$round"
        else
          run_bare "$op" "$size" "$bs" "$round"
          run_gfbench "$op" "$size" "$bs" "$round"
        fi
      done
    done
  done
done

python3 - "$out" "$sizes" "$block_sizes" "$ops" "$rounds" "$tolerance" "$buffer" "$where" <<'PY'
import json, re, statistics, sys

out, sizes, blocks, ops = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(","), sys.argv[4].split(",")
rounds, tolerance, buffer, where = int(sys.argv[5]), float(sys.argv[6]), sys.argv[7], sys.argv[8]
MiB = 1024 * 1024
ok = True
loop = "" if where.startswith("directory") else "glfs_"
print(f"gfbench kernels vs a bare {loop}pwrite/{loop}pread loop ({buffer} buffer) on {where}, "
      f"MiB/s, median over {rounds} rounds")
print(f"{'op':8} {'size':>7} {'bs':>5} {'gfbench':>9} {'bare':>9} {'ratio':>6}  per-round ratios")
for op in ops:
  for size in sizes:
    for bs in blocks:
        g_all, b_all, per_round = [], [], []
        for r in range(1, rounds + 1):
            text = open(f"{out}/gfbench-{op}-{size}-{bs}-{r}.json").read()
            bench = json.loads(text[text.index("{"):])["benchmarks"]
            g = [b["bytes_per_second"] for b in bench
                 if b.get("run_type") == "iteration" and not b.get("error_occurred")]
            bare = [float(m) for m in re.findall(r"^pass \d+: .* bytes_per_second (\d+)",
                                                 open(f"{out}/bare-{op}-{size}-{bs}-{r}.txt").read(), re.M)]
            g_all += g
            b_all += bare
            per_round.append(statistics.median(g) / statistics.median(bare))
        g_med, b_med = statistics.median(g_all) / MiB, statistics.median(b_all) / MiB
        ratio = g_med / b_med
        within = ratio >= 1 - tolerance
        ok = ok and within
        rounds_text = " ".join(f"{x:.2f}" for x in per_round)
        print(f"{op:8} {size:>7} {bs:>5} {g_med:9.1f} {b_med:9.1f} {ratio:6.3f}  {rounds_text}"
              f"{'' if within else '  <- more than ' + format(tolerance, '.0%') + ' slower'}")
sys.exit(0 if ok else 1)
PY
