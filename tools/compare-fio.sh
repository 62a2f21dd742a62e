#!/usr/bin/env bash
# Compares gfbench with fio's gfapi engine on one Gluster volume: the same
# operations (sequential write of a new file, sequential read of a file
# that exists), file sizes and block sizes, 5 runs per cell each, then
# prints the median throughput of both in MiB/s, the ratio gfbench/fio per
# cell and each tool's total wall time for the same cells.
#
#   tools/compare-fio.sh [--volume V --server HOST] [--sizes 10MiB,100MiB]
#                        [--block-sizes 4KiB,1MiB] [--runs 5] [--rounds 1] [--out DIR]
#
# With --rounds N the whole comparison runs N times, gfbench first in odd
# rounds and fio first in even ones, so that a slow stretch of a shared
# machine does not hit one tool only; medians are then over N x runs runs
# per cell, wall times are per round. Before the first round a bare
# libgfapi loop writes and removes 200 MiB, so that neither tool meets a
# volume that has never been written (the first writes to a new volume are
# slow). On a busy machine run it under `nice -n -10` (both tools inherit).
#
# Without --volume (and without GFBENCH_VOLUME in the environment) the
# script runs itself under `gfbench-sandbox --volume gfs-volume-proxmox`,
# which starts a private one-node volume, runs the script inside the
# sandbox's network namespace with GFBENCH_VOLUME and GFBENCH_SERVER set,
# and tears everything down afterwards. Needs root, a build (GFBENCH_BUILD_DIR
# or build/), fio with the gfapi engine and python3.
#
# What each tool times (see docs/performance.md):
#   gfbench: the records of one pass (create/open, fsync, close, lay-out and
#            checks are outside); the tool runs every case in one process
#            with one libgfapi connection.
#   fio:     one job per run: glfs_init, a fixed sleep(2), the job (its
#            runtime starts before the file is opened, so it includes
#            glfs_creat; whole milliseconds), then glfs_fini (~10 s with
#            libgfapi 10). Reads get a file laid out by a separate fio write
#            job first (fio's gfapi engine would otherwise lay it out inside
#            the read's timed region); writes write a new file each run.
#   Neither fsyncs inside the timed region (fio: end_fsync=0, the default).
# Besides fio's own figure (bw_bytes) the table shows fio's throughput over
# its I/O calls only (bytes / sum of completion latencies), which leaves
# out glfs_creat and fio's own per-record work: the stricter comparison.
#
# fio's gfapi engine opens with glfs_creat(O_RDWR) without O_EXCL, so it
# gets a fresh directory of its own (/fio-compare-<host>-<pid>-<time>),
# removed at the end. The engine also logs to /tmp/fio_gfapi.log; the script
# removes that file again if it did not exist before.
set -euo pipefail

name=compare-fio
# shellcheck source=tools/compare-common.sh
. "$(dirname "$0")/compare-common.sh"
args=("$@")

volume=""
server=""
sizes="10MiB,100MiB"
block_sizes="4KiB,1MiB"
runs=5
rounds=1
out=""

while [ $# -gt 0 ]; do
  case "$1" in
    --volume) volume=$2; shift 2 ;;
    --server) server=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --block-sizes) block_sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) compare_usage 0 ;;
    *) echo "compare-fio: unknown argument $1" >&2; compare_usage 2 ;;
  esac
done

compare_require fio python3
compare_volume_or_sandbox "${args[@]}"

keep_out=1
if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/compare-fio-XXXXXX")
  keep_out=0
fi
mkdir -p "$out"

fio_log=/tmp/fio_gfapi.log
fio_log_existed=0
[ -e "$fio_log" ] && fio_log_existed=1
fio_dir="/fio-compare-$(uname -n)-$$-$(date +%s)"
fio_dir_made=0

bare() { "$build/tools/gfbench-bare-pwrite" --volume "$volume" --server "$server" "$@"; }

cleanup() {
  if [ "$fio_dir_made" = 1 ]; then
    bare --rmdir "$fio_dir" || echo "compare-fio: could not remove $fio_dir on $volume" >&2
  fi
  if [ "$fio_log_existed" = 0 ]; then rm -f "$fio_log"; fi
  if [ "$keep_out" = 0 ]; then rm -rf "$out"; fi
}
trap cleanup EXIT

now() { echo "$EPOCHREALTIME"; }
add() { python3 -c "import sys; print(f'{float(sys.argv[1]) + float(sys.argv[2]):.3f}')" "$1" "$2"; }
since() { add "$(now)" "-$1"; }

echo "volume $volume on $server; sizes $sizes; block sizes $block_sizes;" \
  "$runs runs per cell; $rounds round(s)" >&2
IFS=, read -r -a size_list <<<"$sizes"
IFS=, read -r -a block_list <<<"$block_sizes"

# --- gfbench: the whole matrix in one process --------------------------------
gfbench_walls=()
gfbench_round() {  # <round>
  local round=$1 t0
  gfbench_cmd=("$build/tools/gfbench" --volume "$volume" --server "$server" --ops write,read
    --read-cache warm --sizes "$sizes" --block-sizes "$block_sizes"
    "--benchmark_repetitions=$runs" "--benchmark_out=$out/gfbench-$round.json"
    --benchmark_out_format=json --log-level warn)
  echo "+ ${gfbench_cmd[*]}" >&2
  t0=$(now)
  "${gfbench_cmd[@]}" >"$out/gfbench-$round.txt" 2>&1 || {
    echo "compare-fio: gfbench failed:" >&2
    cat "$out/gfbench-$round.txt" >&2
    exit 1
  }
  gfbench_walls+=("$(since "$t0")")
  echo "gfbench round $round: ${gfbench_walls[-1]} s" >&2
}

# --- fio: one job per run, in a directory of its own ---------------------------
fio_walls=()
fio_layout_walls=()
fio_jobs=0
run_fio() {  # <json out> <fio args...>; sets last_wall
  local json=$1 t0
  shift
  t0=$(now)
  if ! fio --ioengine=gfapi --volume="$volume" --brick="$server" --output-format=json \
    --output="$json" "$@" >"$json.log" 2>&1; then
    echo "compare-fio: fio $* failed:" >&2
    cat "$json.log" "$json" >&2 || true
    exit 1
  fi
  last_wall=$(since "$t0")
  fio_jobs=$((fio_jobs + 1))
}
fio_round() {  # <round>
  local round=$1 wall=0 layout=0 size bs r unlink
  for size in "${size_list[@]}"; do
    for bs in "${block_list[@]}"; do
      # write: a new file each run, sequential, no fsync (end_fsync=0).
      for r in $(seq 1 "$runs"); do
        echo "+ fio write size $size bs $bs round $round run $r" >&2
        run_fio "$out/fio-write-$size-$bs-$round-$r.json" --name="write-$size-$bs" --rw=write \
          --bs="$bs" --size="$size" --filename="$fio_dir/write-$size-$bs-$round-$r" --unlink=1
        wall=$(add "$wall" "$last_wall")
      done
      # read: lay the file out with a write job, then read it in each run.
      echo "+ fio lay-out for read size $size bs $bs round $round" >&2
      run_fio "$out/fio-layout-$size-$bs-$round.json" --name="layout-$size-$bs" --rw=write \
        --bs=1MiB --size="$size" --filename="$fio_dir/read-$size-$bs-$round"
      wall=$(add "$wall" "$last_wall")
      layout=$(add "$layout" "$last_wall")
      for r in $(seq 1 "$runs"); do
        echo "+ fio read size $size bs $bs round $round run $r" >&2
        unlink=0
        [ "$r" = "$runs" ] && unlink=1
        run_fio "$out/fio-read-$size-$bs-$round-$r.json" --name="read-$size-$bs" --rw=read \
          --bs="$bs" --size="$size" --filename="$fio_dir/read-$size-$bs-$round" --unlink=$unlink
        wall=$(add "$wall" "$last_wall")
      done
    done
  done
  fio_walls+=("$wall")
  fio_layout_walls+=("$layout")
  echo "fio round $round: $wall s" >&2
}

bare --mkdir "$fio_dir"
fio_dir_made=1
# Warm-up, not measured: the first writes to a new volume are slow.
bare --size 100MiB --bs 1MiB --passes 2 --path "$fio_dir/warm-up" >/dev/null

for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then
    gfbench_round "$round"
    fio_round "$round"
  else
    fio_round "$round"
    gfbench_round "$round"
  fi
done

# --- the table ------------------------------------------------------------------
python3 - "$out" "$sizes" "$block_sizes" "$runs" "$rounds" "$fio_jobs" "${gfbench_cmd[*]}" \
  "${gfbench_walls[*]}" "${fio_walls[*]}" "${fio_layout_walls[*]}" <<'PY'
import json, statistics, sys

out, sizes, blocks = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
runs, rounds, fio_jobs, gfbench_cmd = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
gfbench_walls, fio_walls, layout_walls = ([float(x) for x in a.split()] for a in sys.argv[8:11])
MiB = 1024 * 1024

def load_json(path):
    text = open(path).read()
    return json.loads(text[text.index("{"):])  # fio may print a warning first

gf = [load_json(f"{out}/gfbench-{r}.json")["benchmarks"] for r in range(1, rounds + 1)]
def gfbench_rates(op, size, bs):
    prefix = f"gfapi/{op}/size:{size}/bs:{bs}/"
    rates = [b["bytes_per_second"] for bench in gf for b in bench
             if b["name"].startswith(prefix) and b.get("run_type") == "iteration"
             and not b.get("error_occurred")]
    if len(rates) != runs * rounds:
        sys.exit(f"compare-fio: gfbench has {len(rates)} good runs of {prefix}, "
                 f"expected {runs * rounds}")
    return rates

def fio_rates(op, size, bs):
    reported, io_only = [], []
    for rnd in range(1, rounds + 1):
        for r in range(1, runs + 1):
            job = load_json(f"{out}/fio-{op}-{size}-{bs}-{rnd}-{r}.json")["jobs"][0]
            if job.get("error"):
                sys.exit(f"compare-fio: fio {op} {size} {bs} round {rnd} run {r}: error {job['error']}")
            d = job[op]
            reported.append(d["bw_bytes"])                     # B/s over fio's runtime (ms)
            busy = d["lat_ns"]["mean"] * d["total_ios"] / 1e9  # seconds inside I/O calls
            io_only.append(d["io_bytes"] / busy)
    return reported, io_only

rows = []
for op in ("write", "read"):
    for size in sizes:
        for bs in blocks:
            g = statistics.median(gfbench_rates(op, size, bs)) / MiB
            f_rep, f_io = fio_rates(op, size, bs)
            f, fi = statistics.median(f_rep) / MiB, statistics.median(f_io) / MiB
            rows.append((op, size, bs, g, f, g / f, fi, g / fi))

n = runs * rounds
print(f"gfbench vs fio (gfapi engine), median of {n} runs per cell"
      f"{f' ({rounds} rounds of {runs})' if rounds > 1 else ''}, MiB/s (1 MiB = 1048576 B)")
print(f"{'op':6} {'size':>7} {'bs':>5} {'gfbench':>9} {'fio':>9} {'ratio':>6}   "
      f"{'fio I/O-only':>12} {'ratio':>6}")
for op, size, bs, g, f, r, fi, ri in rows:
    print(f"{op:6} {size:>7} {bs:>5} {g:9.1f} {f:9.1f} {r:6.2f}   {fi:12.1f} {ri:6.2f}")
# Seconds of timed I/O per round: what both tools spend in the measured
# passes (the same bytes at about the same rates); the rest of the wall time
# is each tool's own cost (connections, fio's sleep and glfs_fini per job,
# lay-outs, gfbench's checks).
def gfbench_io_seconds(rnd):
    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    return sum(b["real_time"] * unit[b["time_unit"]] * b["iterations"] for b in gf[rnd - 1]
               if b.get("run_type") == "iteration" and b["name"].startswith("gfapi/"))

def fio_io_seconds(rnd):
    total = 0.0
    for op in ("write", "read"):
        for size in sizes:
            for bs in blocks:
                for r in range(1, runs + 1):
                    d = load_json(f"{out}/fio-{op}-{size}-{bs}-{rnd}-{r}.json")["jobs"][0][op]
                    total += d["io_bytes"] / d["bw_bytes"]
    return total

print()
print("wall time for the same cells, per round (timed I/O in brackets; the rest is the tool's own cost):")
for i, (g, f, l) in enumerate(zip(gfbench_walls, fio_walls, layout_walls), 1):
    gi, fi_s = gfbench_io_seconds(i), fio_io_seconds(i)
    print(f"  round {i}: gfbench {g:.1f} s [{gi:.1f} s] (one process), fio {f:.1f} s [{fi_s:.1f} s] "
          f"({fio_jobs // rounds} jobs, {l:.1f} s of them lay-out jobs for reads): "
          f"gfbench/fio = {g / f:.3f} (1/{f / g:.1f}); "
          f"outside timed I/O {g - gi:.1f} s vs {f - fi_s:.1f} s = {(g - gi) / (f - fi_s):.3f}")
worst = min(rows, key=lambda row: row[5])
print(f"lowest throughput ratio: {worst[5]:.2f} ({worst[0]} {worst[1]} {worst[2]})")
PY
if [ "$keep_out" = 1 ]; then echo "raw results in $out" >&2; fi
