#!/usr/bin/env bash
# Compares gfbench with fio on one Gluster volume, through libgfapi (fio's
# gfapi engine) and through the volume's FUSE mount (fio's psync engine):
# the same operations (write of a new file, rewrite of a file that exists,
# read of a file that exists), file sizes and block sizes, 5 runs per cell
# each. Prints the median throughput of both in MiB/s and in IOzone's kB/s,
# the ratio gfbench/fio per cell, and each tool's total wall time for the
# same cells. The defaults are the seed study's matrix: 1, 10 and 100 MiB
# files in 4 KiB records, write, rewrite, read, five trials.
#
#   tools/compare-fio.sh [--volume V --server HOST [--fuse DIR]] [--no-fuse]
#                        [--sizes 1MiB,10MiB,100MiB] [--block-sizes 4KiB]
#                        [--ops write,rewrite,read] [--runs 5] [--rounds 1] [--out DIR]
#
# --fuse DIR is a FUSE mount of the same volume; without it (and without
# GFBENCH_FUSE) only the gfapi path is compared. --no-fuse leaves the FUSE
# path out.
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
# script runs itself under `gfbench-sandbox --volume gfs-volume-proxmox
# --fuse`, which starts a private one-node volume, FUSE-mounts it, runs the
# script inside the sandbox's network namespace with GFBENCH_VOLUME,
# GFBENCH_SERVER and GFBENCH_FUSE set, and tears everything down afterwards.
# Needs root, a build (GFBENCH_BUILD_DIR or build/), fio with the gfapi
# engine and python3.
#
# What each tool times (see docs/performance.md):
#   gfbench: the records of one pass (create/open, fsync, close, lay-out and
#            checks are outside); the tool runs every case in one process
#            with one libgfapi connection. Reads are read:warm (the file
#            was just written or read) and read:cold (dropped from the page
#            cache, the client as configured).
#   fio:     one job per run. gfapi: glfs_init, a fixed sleep(2), the job
#            (its runtime starts before the file is opened, so it includes
#            glfs_creat; whole milliseconds), then glfs_fini (~10 s with
#            libgfapi 10). psync: open, the job, close. Rewrites and reads
#            get a file laid out by a separate fio write job first (the
#            gfapi engine would otherwise lay it out inside the timed
#            region); writes write a new file each run (psync with
#            --fallocate=none, as gfbench does not preallocate). fio's
#            reads on the FUSE mount run twice: with --invalidate=1 (fio's
#            default: the file dropped from the page cache first, beside
#            gfbench's read:cold) and --invalidate=0 (beside read:warm).
#            libgfapi has no page cache: fio's one gfapi read figure stands
#            beside both of gfbench's.
#   Neither fsyncs inside the timed region (fio: end_fsync=0, the default).
# Besides fio's own figure (bw_bytes) the table shows fio's throughput over
# its I/O calls only (bytes / sum of completion latencies), which leaves
# out the open and fio's own per-record work: the stricter comparison.
#
# fio opens files without O_EXCL, so it gets a fresh directory of its own
# (/fio-compare-<host>-<pid>-<time>), removed at the end. The gfapi engine
# also logs to /tmp/fio_gfapi.log; the script removes that file again if it
# did not exist before.
set -euo pipefail

name=compare-fio
# shellcheck source=tools/compare-common.sh
. "$(dirname "$0")/compare-common.sh"
args=("$@")

volume=""
server=""
fuse_dir=""
no_fuse=0
sizes="1MiB,10MiB,100MiB"
block_sizes="4KiB"
ops="write,rewrite,read"
runs=5
rounds=1
out=""

while [ $# -gt 0 ]; do
  case "$1" in
    --volume) volume=$2; shift 2 ;;
    --server) server=$2; shift 2 ;;
    --fuse) fuse_dir=$2; shift 2 ;;
    --no-fuse) no_fuse=1; shift ;;
    --sizes) sizes=$2; shift 2 ;;
    --block-sizes) block_sizes=$2; shift 2 ;;
    --ops) ops=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) compare_usage 0 ;;
    *) echo "compare-fio: unknown argument $1" >&2; compare_usage 2 ;;
  esac
done
for op in ${ops//,/ }; do
  case "$op" in
    write|rewrite|read) ;;
    *) echo "compare-fio: --ops takes write, rewrite and read, not $op" >&2; exit 2 ;;
  esac
done

compare_require fio python3
[ "$no_fuse" = 1 ] || sandbox_fuse=1
IFS=, read -r -a size_list <<<"$sizes"
IFS=, read -r -a block_list <<<"$block_sizes"
# fio gets each size in bytes: it reads KiB and MiB as 1000-based by default.
declare -A fio_bytes
for size in "${size_list[@]}"; do fio_bytes[$size]=$(compare_bytes --sizes "$size") || exit 2; done
for bs in "${block_list[@]}"; do fio_bytes[$bs]=$(compare_bytes --block-sizes "$bs") || exit 2; done
compare_volume_or_sandbox "${args[@]}"
[ "$no_fuse" = 0 ] || fuse_dir=""
if [ -n "$fuse_dir" ]; then
  [ -d "$fuse_dir" ] || { echo "compare-fio: --fuse $fuse_dir is not a directory" >&2; exit 2; }
  fuse_dir=$(cd "$fuse_dir" && pwd)
fi

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

paths="gfapi"
[ -n "$fuse_dir" ] && paths="gfapi fuse"
echo "volume $volume on $server; FUSE mount ${fuse_dir:-none}; sizes $sizes;" \
  "block sizes $block_sizes; ops $ops; $runs runs per cell; $rounds round(s)" >&2
IFS=, read -r -a op_list <<<"$ops"

# --- gfbench: the whole matrix, both paths, in one process ---------------------
gfbench_walls=()
gfbench_round() {  # <round>
  local round=$1 t0
  gfbench_cmd=("$build/tools/gfbench" --volume "$volume" --server "$server")
  [ -n "$fuse_dir" ] && gfbench_cmd+=(--posix "$fuse_dir=fuse")
  gfbench_cmd+=(--ops "$ops" --read-cache warm,cold --sizes "$sizes" --block-sizes "$block_sizes"
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
run_fio() {  # <path> <json out> <fio args...>; sets last_wall
  local path=$1 json=$2 t0 engine
  shift 2
  if [ "$path" = gfapi ]; then
    engine=(--ioengine=gfapi --volume="$volume" --brick="$server")
  else
    engine=(--ioengine=psync --fallocate=none)
  fi
  t0=$(now)
  if ! fio "${engine[@]}" --output-format=json --output="$json" "$@" >"$json.log" 2>&1; then
    echo "compare-fio: fio $* failed:" >&2
    cat "$json.log" "$json" >&2 || true
    exit 1
  fi
  last_wall=$(since "$t0")
  fio_jobs=$((fio_jobs + 1))
}
# fio's name for a file of the cell: through libgfapi a volume path, through
# FUSE the same path under the mount.
fio_file() {  # <path> <name>
  if [ "$1" = gfapi ]; then echo "$fio_dir/$2"; else echo "$fuse_dir$fio_dir/$2"; fi
}
fio_round() {  # <round>
  local round=$1 wall=0 layout=0 path size bs op r unlink file reads read_kind
  for path in $paths; do
    for size in "${size_list[@]}"; do
      for bs in "${block_list[@]}"; do
        for op in "${op_list[@]}"; do
          if [ "$op" = write ]; then
            # A new file each run, sequential, no fsync (end_fsync=0).
            for r in $(seq 1 "$runs"); do
              echo "+ fio $path write size $size bs $bs round $round run $r" >&2
              run_fio "$path" "$out/fio-$path-write-$size-$bs-$round-$r.json" \
                --name="write-$size-$bs" --rw=write --bs="${fio_bytes[$bs]}" --size="${fio_bytes[$size]}" \
                --filename="$(fio_file "$path" "write-$size-$bs-$round-$r")" --unlink=1
              wall=$(add "$wall" "$last_wall")
            done
            continue
          fi
          # rewrite and read: lay the file out with a write job first.
          file=$(fio_file "$path" "$op-$size-$bs-$round")
          echo "+ fio $path lay-out for $op size $size bs $bs round $round" >&2
          run_fio "$path" "$out/fio-$path-layout-$op-$size-$bs-$round.json" \
            --name="layout-$size-$bs" --rw=write --bs=1048576 --size="${fio_bytes[$size]}" \
            --filename="$file"
          wall=$(add "$wall" "$last_wall")
          layout=$(add "$layout" "$last_wall")
          reads=("")
          [ "$op" = read ] && [ "$path" = fuse ] && reads=(cold warm)
          for read_kind in "${reads[@]}"; do
            for r in $(seq 1 "$runs"); do
              echo "+ fio $path $op${read_kind:+:$read_kind} size $size bs $bs round $round run $r" >&2
              unlink=0
              [ "$r" = "$runs" ] && [ "$read_kind" != cold ] && unlink=1
              local extra=()
              if [ "$op" = rewrite ]; then
                extra=(--rw=write --overwrite=1)
              else
                extra=(--rw=read)
                [ "$read_kind" = warm ] && extra+=(--invalidate=0)
                [ "$read_kind" = cold ] && extra+=(--invalidate=1)
              fi
              run_fio "$path" "$out/fio-$path-$op${read_kind:+-$read_kind}-$size-$bs-$round-$r.json" \
                --name="$op-$size-$bs" "${extra[@]}" --bs="${fio_bytes[$bs]}" --size="${fio_bytes[$size]}" \
                --filename="$file" \
                --unlink=$unlink
              wall=$(add "$wall" "$last_wall")
            done
          done
        done
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
python3 - "$out" "$sizes" "$block_sizes" "$ops" "$paths" "$runs" "$rounds" "$fio_jobs" \
  "${gfbench_cmd[*]}" "${gfbench_walls[*]}" "${fio_walls[*]}" "${fio_layout_walls[*]}" <<'PY'
import json, statistics, sys

out, sizes, blocks, ops = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(","), sys.argv[4].split(",")
paths, runs, rounds, fio_jobs = sys.argv[5].split(), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
gfbench_cmd = sys.argv[9]
gfbench_walls, fio_walls, layout_walls = ([float(x) for x in a.split()] for a in sys.argv[10:13])
MiB = 1024 * 1024

def load_json(path):
    text = open(path).read()
    return json.loads(text[text.index("{"):])  # fio may print a warning first

gf = [load_json(f"{out}/gfbench-{r}.json")["benchmarks"] for r in range(1, rounds + 1)]
def gfbench_rates(path, op, size, bs, cache):
    prefix = f"{path}/{op}/size:{size}/bs:{bs}/" + (f"cache:{cache}/" if cache else "")
    rates = [b["bytes_per_second"] for bench in gf for b in bench
             if b["name"].startswith(prefix) and b.get("run_type") == "iteration"
             and not b.get("error_occurred")]
    if len(rates) != runs * rounds:
        sys.exit(f"compare-fio: gfbench has {len(rates)} good runs of {prefix}, "
                 f"expected {runs * rounds}")
    return rates

def fio_files(path, op, size, bs, kind):
    name = f"{op}-{kind}" if kind else op
    return [f"{out}/fio-{path}-{name}-{size}-{bs}-{rnd}-{r}.json"
            for rnd in range(1, rounds + 1) for r in range(1, runs + 1)]

def fio_rates(path, op, size, bs, kind):
    reported, io_only = [], []
    for f in fio_files(path, op, size, bs, kind):
        job = load_json(f)["jobs"][0]
        if job.get("error"):
            sys.exit(f"compare-fio: {f}: fio error {job['error']}")
        d = job["read" if op == "read" else "write"]
        reported.append(d["bw_bytes"])                      # B/s over fio's runtime (ms)
        busy = d["lat_ns"]["mean"] * d["total_ios"] / 1e9  # seconds inside I/O calls
        io_only.append(d["io_bytes"] / busy)
    return reported, io_only

# One row per path, operation (reads: per cache mode), size and block size.
rows = []
for path in paths:
    engine = "gfapi" if path == "gfapi" else "psync"
    for op in ops:
        kinds = [("warm", "warm" if path == "fuse" else ""), ("cold", "cold" if path == "fuse" else "")] \
            if op == "read" else [("", "")]
        for cache, fio_kind in kinds:
            for size in sizes:
                for bs in blocks:
                    g = statistics.median(gfbench_rates(path, op, size, bs, cache))
                    f_rep, f_io = fio_rates(path, op, size, bs, fio_kind)
                    f, fi = statistics.median(f_rep), statistics.median(f_io)
                    label = f"{op}:{cache}" if cache else op
                    rows.append((path, engine, label, size, bs, g, f, fi))

n = runs * rounds
print(f"gfbench vs fio, median of {n} runs per cell"
      f"{f' ({rounds} rounds of {runs})' if rounds > 1 else ''}; "
      f"MiB/s (1 MiB = 1048576 B) and IOzone's kB/s (1 kB = 1024 B)")
print(f"{'path':5} {'fio':5} {'op':10} {'size':>6} {'bs':>5} {'gfbench':>9} {'kB/s':>11} "
      f"{'fio':>9} {'kB/s':>11} {'ratio':>6}  {'fio I/O-only':>12} {'ratio':>6}")
for path, engine, op, size, bs, g, f, fi in rows:
    print(f"{path:5} {engine:5} {op:10} {size:>6} {bs:>5} {g / MiB:9.1f} {g / 1024:11,.0f} "
          f"{f / MiB:9.1f} {f / 1024:11,.0f} {g / f:6.2f}  {fi / MiB:12.1f} {g / fi:6.2f}")
if "fuse" in paths:
    print()
    print("gfapi / fuse, median over median, for each tool:")
    for op in ops:
        for cache in (["warm", "cold"] if op == "read" else [""]):
            label = f"{op}:{cache}" if cache else op
            for size in sizes:
                for bs in blocks:
                    by = {(p, o, s, b): (g, f) for p, _, o, s, b, g, f, _ in rows}
                    ga, fa = by[("gfapi", label, size, bs)]
                    gu, fu = by[("fuse", label, size, bs)]
                    print(f"  {label:10} {size:>6} {bs:>5}  gfbench {ga / gu:6.2f}   fio {fa / fu:6.2f}")

# Seconds of timed I/O per round: what both tools spend in the measured
# passes; the rest of the wall time is each tool's own cost (connections,
# fio's sleep and glfs_fini per gfapi job, lay-outs, gfbench's checks).
def gfbench_io_seconds(rnd):
    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    return sum(b["real_time"] * unit[b["time_unit"]] * b["iterations"] for b in gf[rnd - 1]
               if b.get("run_type") == "iteration")

def fio_io_seconds(rnd):
    total = 0.0
    for path in paths:
        for op in ops:
            for kind in (["warm", "cold"] if op == "read" and path == "fuse" else [""]):
                for size in sizes:
                    for bs in blocks:
                        for r in range(1, runs + 1):
                            name = f"{op}-{kind}" if kind else op
                            job = load_json(f"{out}/fio-{path}-{name}-{size}-{bs}-{rnd}-{r}.json")["jobs"][0]
                            d = job["read" if op == "read" else "write"]
                            total += d["io_bytes"] / d["bw_bytes"]
    return total

print()
print("wall time for the same cells, per round (timed I/O in brackets; the rest is the tool's own cost):")
for i, (g, f, l) in enumerate(zip(gfbench_walls, fio_walls, layout_walls), 1):
    gi, fi_s = gfbench_io_seconds(i), fio_io_seconds(i)
    print(f"  round {i}: gfbench {g:.1f} s [{gi:.1f} s] (one process), fio {f:.1f} s [{fi_s:.1f} s] "
          f"({fio_jobs // rounds} jobs, {l:.1f} s of them lay-out jobs): "
          f"gfbench/fio = {g / f:.3f} (1/{f / g:.1f})")
worst = min(rows, key=lambda row: row[5] / row[6])
print(f"lowest throughput ratio: {worst[5] / worst[6]:.2f} ({worst[0]} {worst[2]} {worst[3]} {worst[4]})")
print(f"gfbench: {gfbench_cmd}")
PY
if [ "$keep_out" = 1 ]; then echo "raw results in $out" >&2; fi
