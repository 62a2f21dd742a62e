#!/usr/bin/env bash
# Compares gfbench's queued cases with fio at queue depth on one Gluster
# volume, through libgfapi and through the volume's FUSE mount, and with a
# local directory (this machine's own limit): 4 KiB random read, random
# write and 70/30 random read/write at queue depths 1, 8 and 32, time-based,
# interleaved (gfbench first in odd runs, fio first in even ones). Prints
# the median IOPS of each, the ratio gfbench/fio per cell, and the p99
# latency both report.
#
#   tools/compare-fio-qd.sh [--volume V --server HOST [--fuse DIR]] [--local DIR|none]
#                           [--depths 1,8,32] [--ops randread,randwrite,randrw]
#                           [--size 256MiB] [--runtime 5] [--ramp-up 1] [--runs 5]
#                           [--threads 4] [--out DIR] [--bare futex,batch,poll|none]
#                           [--fio-engines io_uring,libaio] [--quick]
#
# --quick: depths 1 and 32, random read and write, 3 runs of 3 s after 1 s:
# a first look in a few minutes. The full table (--runs 7 --runtime 10,
# --local none, one fio engine) took 69 minutes on 2 CPUs; with --depths 1,32
# 49 minutes.
#
# The bare loops (tools/bare_async.cpp: requests in flight and nothing
# else) run in the same rounds: on gfapi once per wait strategy listed in
# --bare (a wake per completion, as gfbench's engine; a wake per batch;
# fio's timed polling), and io_uring with O_DIRECT on the FUSE mount and the
# local directory. They read or write, not both: randrw has none.
#
# Engines, side by side on files of the same size (fio is given it in
# bytes: it would read 256MiB as 256,000,000 B), laid out sequentially and
# fsynced (gfbench's lay-out ends with fsync; fio's lay-out jobs with
# end_fsync). Each gfbench cell lays out its own file just before it; fio
# reads files laid out once at the start (the FUSE jobs one of their own,
# not the gfapi one), and writes a file laid out just before the job:
#   gfapi: gfbench's glfs_preadv_async/glfs_pwritev_async queue (depth 1:
#          glfs_pread/glfs_pwrite) against fio's gfapi_async at the same
#          iodepth (depth 1: fio's synchronous gfapi engine). fio's
#          gfapi_async ignores each I/O's result (an error or short read
#          counts as done); gfbench checks every one, and every record read.
#          With --threads N, also gfbench's N threads at depth 1 on one
#          connection against fio's gfapi with numjobs=N, thread and
#          single-instance=1 (one glfs_t for all jobs).
#   fuse and local: gfbench's io_uring queue against fio's io_uring and
#          libaio (--fio-engines picks), all O_DIRECT (libaio is only
#          asynchronous with it; QEMU's cache=none opens images so).
# Each ratio (of medians) comes with the runs paired: gfbench's run r over
# fio's (or the loop's) run r, which ran next to it; their geometric mean
# with its 95 % interval (Student's t over the logarithms), the verdict
# (faster or slower when the interval stays on one side of 1, ~ when it
# holds 1; no correction for the many cells) and the lowest and highest.
# Every run is time-based: --ramp-up seconds not counted, then --runtime
# seconds counted, as fio's ramp_time and runtime. fio's gfapi engines also
# connect, sleep a fixed 2 s and finalise (glfs_fini, ~10 s) per job: that
# is outside its runtime and not compared. fio lays its file out with one
# sequential write job per path first; gfbench lays out each case's file
# itself (untimed). Each cell runs in a process of its own, gfbench's as
# fio's and the loops': a libgfapi client keeps the io-threads workers a
# deep case grew for 120 s, and a later case in the same process would
# start with them (docs/performance.md).
#
# Without --volume (and without GFBENCH_VOLUME in the environment) the
# script runs itself under `gfbench-sandbox --volume gfs-volume-proxmox
# --fuse`. Needs root, a build (GFBENCH_BUILD_DIR or build/), fio and
# python3. The local directory defaults to a fresh one under /var/tmp;
# `--local none` leaves it out (the volume's cells only, a quarter faster).
set -euo pipefail

name=compare-fio-qd
# shellcheck source=tools/compare-common.sh
. "$(dirname "$0")/compare-common.sh"
args=("$@")

volume=""
server=""
fuse_dir=""
local_dir=""
depths="1,8,32"
ops="randread,randwrite,randrw"
size="256MiB"
runtime=5
ramp=1
runs=5
threads=""
out=""
bare_waits="futex,batch,poll"
fio_engines="io_uring,libaio"

while [ $# -gt 0 ]; do
  case "$1" in
    --volume) volume=$2; shift 2 ;;
    --server) server=$2; shift 2 ;;
    --fuse) fuse_dir=$2; shift 2 ;;
    --local) local_dir=$2; shift 2 ;;
    --depths) depths=$2; shift 2 ;;
    --ops) ops=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --runtime) runtime=$2; shift 2 ;;
    --ramp-up) ramp=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --bare) bare_waits=$2; shift 2 ;;
    --fio-engines) fio_engines=$2; shift 2 ;;
    --quick) depths="1,32"; ops="randread,randwrite"; runs=3; runtime=3; ramp=1; shift ;;
    -h|--help) compare_usage 0 ;;
    *) echo "$name: unknown argument $1" >&2; compare_usage 2 ;;
  esac
done
for op in ${ops//,/ }; do
  case "$op" in
    randread|randwrite|randrw) ;;
    *) echo "$name: --ops takes randread, randwrite and randrw, not $op" >&2; exit 2 ;;
  esac
done

for engine in ${fio_engines//,/ }; do
  case "$engine" in
    io_uring|libaio) ;;
    *) echo "$name: --fio-engines takes io_uring and libaio, not $engine" >&2; exit 2 ;;
  esac
done
[ -n "${fio_engines//,/}" ] || { echo "$name: --fio-engines needs io_uring, libaio or both" >&2; exit 2; }
size_bytes=$(compare_bytes --size "$size") || exit 2

compare_require fio python3
sandbox_fuse=1
compare_volume_or_sandbox "${args[@]}"
[ -n "$fuse_dir" ] || { echo "$name: no FUSE mount: give --fuse DIR" >&2; exit 2; }
fuse_dir=$(cd "$fuse_dir" && pwd)

keep_out=1
if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/compare-fio-qd-XXXXXX")
  keep_out=0
fi
mkdir -p "$out"
made_local=0
paths="fuse local"
if [ "$local_dir" = none ]; then
  paths="fuse"
  local_dir=""
elif [ -z "$local_dir" ]; then
  local_dir=$(mktemp -d /var/tmp/compare-fio-qd-local-XXXXXX)
  made_local=1
fi
fio_log=/tmp/fio_gfapi.log
fio_log_existed=0
[ -e "$fio_log" ] && fio_log_existed=1
fio_dir="/fio-qd-$(uname -n)-$$-$(date +%s)"
fio_dir_made=0
bare() { "$build/tools/gfbench-bare-pwrite" --volume "$volume" --server "$server" "$@"; }
cleanup() {
  if [ "$fio_dir_made" = 1 ]; then
    bare --rmdir "$fio_dir" || echo "$name: could not remove $fio_dir on $volume" >&2
  fi
  if [ -n "$local_dir" ]; then rm -rf "$local_dir/fio"; fi
  if [ "$made_local" = 1 ]; then rm -rf "$local_dir"; fi
  if [ "$fio_log_existed" = 0 ]; then rm -f "$fio_log"; fi
  if [ "$keep_out" = 0 ]; then rm -rf "$out"; fi
}
trap cleanup EXIT

IFS=, read -r -a depth_list <<<"$depths"
IFS=, read -r -a engine_list <<<"$fio_engines"
IFS=, read -r -a op_list <<<"$ops"
gfbench_op() {  # <fio's name of an op>: gfbench's
  case $1 in
    randread) echo random_read ;;
    randwrite) echo random_write ;;
    randrw) echo random_rw ;;
  esac
}
echo "volume $volume on $server; FUSE mount $fuse_dir; local ${local_dir:-none}; $size file;" \
  "depths $depths; ops $ops; ${ramp} s ramp-up + ${runtime} s per run; $runs runs" >&2

gfbench_one() {  # <output name> <gfbench args...>
  local name_out=$1
  shift
  local cmd=("$build/tools/gfbench" "$@" --read-cache warm --sizes "$size" --block-sizes 4KiB
    --runtime "$runtime" --ramp-up "$ramp" --no-profile "--benchmark_repetitions=1"
    "--benchmark_out=$out/$name_out.json" --benchmark_out_format=json --log-level warn)
  echo "+ ${cmd[*]}" >&2
  "${cmd[@]}" >"$out/$name_out.txt" 2>&1 || { cat "$out/$name_out.txt" >&2; exit 1; }
}
gfbench_run() {  # <run>
  local r=$1 op qd part target
  # One process per cell, as fio runs one per job: libgfapi's client
  # io-threads keep the workers a deep case started for 120 s of idleness,
  # and a later case in the same process runs with them (on 2 CPUs, depth-1
  # writes 10.0-10.9K IOPS after a depth-32 case against 13.6-13.8K on
  # their own). gfapi as fio's gfapi engines open files (no O_DIRECT); the
  # POSIX paths O_DIRECT, as fio's io_uring and libaio jobs here.
  for op in "${op_list[@]}"; do
    for qd in "${depth_list[@]}"; do
      for part in gfapi posix; do
        if [ "$part" = gfapi ]; then
          target=(--volume "$volume" --server "$server")
        else
          target=(--posix "$fuse_dir=fuse" --direct)
          if [ -n "$local_dir" ]; then target+=(--posix "$local_dir=local"); fi
        fi
        gfbench_one "gfbench-$part-$op-$qd-$r" "${target[@]}" --ops "$(gfbench_op "$op")" \
          --queue-depth "$qd"
      done
    done
    if [ -n "$threads" ]; then
      gfbench_one "gfbench-threads-$op-$r" --volume "$volume" --server "$server" \
        --ops "$(gfbench_op "$op")" --threads "$threads"
    fi
  done
}

fio_job() {  # <json> <fio args...>
  local json=$1
  shift
  if ! fio --output-format=json --output="$json" "$@" >"$json.log" 2>&1; then
    echo "$name: fio $* failed:" >&2
    cat "$json.log" "$json" >&2 || true
    exit 1
  fi
}
fio_common=(--bs=4096 --size="$size_bytes" --time_based=1 --runtime="$runtime" --ramp_time="$ramp"
  --rwmixread=70 --randrepeat=0 --norandommap=1)
gfapi_args=(--volume="$volume" --brick="$server")
# The file a fio job of `op` on `path` runs on. Reads: the file laid out
# once at the start. Writes: a new file laid out and fsynced just before,
# as each gfbench cell lays out its own, which the job removes (--unlink=1).
# On its settled file, read and written for minutes, fio wrote 1.2 (depth
# 1) and 1.5 (depth 32) times as fast in this table as on a file laid out
# just before, in the same runs (docs/performance.md): the tools must meet
# the same kind of file.
fio_file_for() {  # <gfapi|fuse|local> <op> <json of the lay-out>; sets fio_file and fio_unlink
  local path=$1 op=$2 json=$3 dir engine=(--ioengine=gfapi "${gfapi_args[@]}")
  case $path in
    gfapi) dir=$fio_dir ;;
    fuse) dir=$fuse_dir$fio_dir; engine=(--ioengine=psync) ;;
    local) dir=$local_dir/fio; engine=(--ioengine=psync) ;;
  esac
  if [ "$op" = randread ]; then
    fio_file=$dir/file
    [ "$path" = fuse ] && fio_file=$dir/file-fuse
    fio_unlink=0
    return 0
  fi
  fio_file=$dir/write-$path
  fio_unlink=1
  fio_job "$json" --name=layout "${engine[@]}" --filename="$fio_file" --rw=write \
    --bs=1048576 --size="$size_bytes" --end_fsync=1
}
fio_run() {  # <run>
  local r=$1 op qd engine
  for op in "${op_list[@]}"; do
    for qd in "${depth_list[@]}"; do
      echo "+ fio $op qd $qd run $r" >&2
      if [ "$qd" = 1 ]; then engine=(--ioengine=gfapi); else engine=(--ioengine=gfapi_async); fi
      fio_file_for gfapi "$op" "$out/layout-gfapi-$op-$qd-$r.json"
      fio_job "$out/fio-gfapi-$op-$qd-$r.json" --name="$op" "${engine[@]}" "${gfapi_args[@]}" \
        --filename="$fio_file" --unlink="$fio_unlink" --rw="$op" --iodepth="$qd" "${fio_common[@]}"
      for engine in "${engine_list[@]}"; do
        for path in $paths; do
          fio_file_for "$path" "$op" "$out/layout-$path-$engine-$op-$qd-$r.json"
          fio_job "$out/fio-$path-$engine-$op-$qd-$r.json" --name="$op" --ioengine="$engine" \
            --direct=1 --filename="$fio_file" --unlink="$fio_unlink" --rw="$op" --iodepth="$qd" \
            "${fio_common[@]}"
        done
      done
    done
    if [ -n "$threads" ]; then
      # fio 3.33 crashes unlinking a file its single-instance gfapi jobs
      # share, so a written file is laid out in a directory of its own
      # that the script removes.
      local fresh_dir=$fio_dir/threads-$op-$r
      fio_file=$fio_dir/file
      if [ "$op" != randread ]; then
        bare --mkdir "$fresh_dir"
        fio_file=$fresh_dir/file
        fio_job "$out/layout-gfapi-threads-$op-$r.json" --name=layout --ioengine=gfapi \
          "${gfapi_args[@]}" --filename="$fio_file" --rw=write --bs=1048576 \
          --size="$size_bytes" --end_fsync=1
      fi
      fio_job "$out/fio-gfapi-threads-$op-$r.json" --name="$op" --ioengine=gfapi \
        "${gfapi_args[@]}" --single-instance=1 --thread --numjobs="$threads" --group_reporting \
        --filename="$fio_file" --rw="$op" "${fio_common[@]}"
      if [ "$op" != randread ]; then bare --rmdir "$fresh_dir"; fi
    fi
  done
}

bare --mkdir "$fio_dir"
fio_dir_made=1
if [ -n "$local_dir" ]; then mkdir -p "$local_dir/fio"; fi
# fio's files for reading, laid out once, sequentially, and fsynced as
# gfbench's are; gfbench lays out its own. The FUSE jobs' file is another
# than the gfapi jobs': neither reads what the other just wrote.
echo "+ fio lay-out of $size on gfapi, ${paths// /, }" >&2
fio_job "$out/layout-gfapi.json" --name=layout --ioengine=gfapi "${gfapi_args[@]}" \
  --filename="$fio_dir/file" --rw=write --bs=1048576 --size="$size_bytes" --end_fsync=1
fio_job "$out/layout-fuse.json" --name=layout --ioengine=psync \
  --filename="$fuse_dir$fio_dir/file-fuse" --rw=write --bs=1048576 --size="$size_bytes" --end_fsync=1
if [ -n "$local_dir" ]; then
  fio_job "$out/layout-local.json" --name=layout --ioengine=psync \
    --filename="$local_dir/fio/file" --rw=write --bs=1048576 --size="$size_bytes" --end_fsync=1
fi

IFS=, read -r -a wait_list <<<"$bare_waits"
[ "$bare_waits" = none ] && wait_list=()
bare_async() {  # <output> <args...>
  local txt=$1
  shift
  echo "+ gfbench-bare-async $*" >&2
  "$build/tools/gfbench-bare-async" --size "$size" --bs 4KiB --runtime "$runtime" --passes 1 \
    "$@" >"$txt" 2>&1 || { cat "$txt" >&2; exit 1; }
}
bare_run() {  # <run>
  local r=$1 op qd w path dir
  [ "${#wait_list[@]}" -gt 0 ] || return 0
  for op in "${op_list[@]}"; do
    [ "$op" = randrw ] && continue
    for qd in "${depth_list[@]}"; do
      for w in "${wait_list[@]}"; do
        bare_async "$out/bare-gfapi-$w-$op-$qd-$r.txt" --volume "$volume" --server "$server" \
          --depth "$qd" --op "$op" --wait "$w"
      done
      for path in $paths; do
        dir=$fuse_dir
        [ "$path" = local ] && dir=$local_dir
        bare_async "$out/bare-$path-io_uring-$op-$qd-$r.txt" --posix "$dir" --direct \
          --depth "$qd" --op "$op"
      done
    done
  done
}

for r in $(seq 1 "$runs"); do
  if [ $((r % 2)) = 1 ]; then
    gfbench_run "$r"; fio_run "$r"; bare_run "$r"
  else
    bare_run "$r"; fio_run "$r"; gfbench_run "$r"
  fi
done

python3 - "$out" "$ops" "$depths" "$runs" "$threads" "$bare_waits" "$fio_engines" "$paths" <<'PY'
import json, math, re, statistics, sys
out, ops, depths, runs, threads = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(","), int(sys.argv[4]), sys.argv[5]
paths = sys.argv[8].split()
waits = [] if sys.argv[6] == "none" else sys.argv[6].split(",")
engines = sys.argv[7].split(",")
per_run = {}  # (tool, cell) -> IOPS per run, for the per-run ratios
gf_op = {"randread": "random_read", "randwrite": "random_write", "randrw": "random_rw"}

def load(path):
    text = open(path).read()
    return json.loads(text[text.index("{"):])

def gfbench(target, op, qd, threads_run=False):
    iops, p99 = [], []
    for r in range(1, runs + 1):
        part = "gfapi" if target == "gfapi" else "posix"
        name = f"gfbench-threads-{op}-{r}.json" if threads_run else f"gfbench-{part}-{op}-{qd}-{r}.json"
        for b in load(f"{out}/{name}")["benchmarks"]:
            n = b["name"]
            want = f"{target}/{gf_op[op]}/"
            tail = f"/qd:1/threads:{threads}/" if threads_run else f"/qd:{qd}/threads:1/"
            if n.startswith(want) and tail in n + "/" and b.get("run_type") == "iteration":
                if b.get("error_occurred"):
                    sys.exit(f"compare-fio-qd: gfbench {n}: {b.get('error_message')}")
                iops.append(b["IOPS"])
                p99.append(b.get("lat_p99_us", float("nan")))
    if len(iops) != runs:
        sys.exit(f"compare-fio-qd: gfbench has {len(iops)} runs of {target} {op} qd {qd}")
    per_run["gfbench"] = iops
    return statistics.median(iops), statistics.median(p99)

def fio(name):
    iops, p99 = [], []
    for r in range(1, runs + 1):
        job = load(f"{out}/{name}-{r}.json")["jobs"][0]
        if job.get("error"):
            sys.exit(f"compare-fio-qd: {name}-{r}: fio error {job['error']}")
        total = job["read"]["iops"] + job["write"]["iops"]
        iops.append(total)
        pct = [job[d]["clat_ns"].get("percentile", {}).get("99.000000") for d in ("read", "write")
               if job[d]["total_ios"] > 0]
        p99.append(max(p for p in pct if p is not None) / 1000 if pct else float("nan"))
    per_run["fio"] = iops
    return statistics.median(iops), statistics.median(p99)

T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086]

def spread():
    """The last gfbench and fio cells read, paired run by run: the runs'
    ratios' geometric mean, its 95 % interval (Student's t over the
    logarithms, df = runs - 1, past 20 df 20's quantile, a little wider;
    a run's drift moves both alike and cancels; the program's own twin is
    compare_paired in tools/gfbench/results/confidence.cpp),
    a verdict (faster or slower when the interval stays on one side of 1,
    ~ when it holds 1) and the lowest and highest run."""
    r = [g / f for g, f in zip(per_run["gfbench"], per_run["fio"])]
    logs = [math.log(x) for x in r]
    mean = statistics.fmean(logs)
    if len(r) < 2:
        return f"{math.exp(mean):.2f}  runs {min(r):.2f}-{max(r):.2f}"
    t = T975[min(len(r) - 1, len(T975)) - 1]
    half = t * statistics.stdev(logs) / math.sqrt(len(r))
    lo, hi = math.exp(mean - half), math.exp(mean + half)
    verdict = "faster" if lo > 1 else "slower" if hi < 1 else "~"
    return f"{math.exp(mean):.2f} [{lo:.2f}-{hi:.2f}] {verdict:6} runs {min(r):.2f}-{max(r):.2f}"

print(f"gfbench vs fio at queue depth, 4 KiB, median of {runs} interleaved runs; IOPS, p99 latency in us")
print(f"{'path':6} {'op':10} {'qd':>3} {'gfbench':>9} {'p99':>8}  {'fio engine':12} {'fio':>9} {'p99':>8} {'ratio':>6}  paired: geo-mean [95 %] verdict, runs")
ratios = []
for op in ops:
    for qd in depths:
        g, gp = gfbench("gfapi", op, qd)
        f, fp = fio(f"fio-gfapi-{op}-{qd}")
        eng = "gfapi" if qd == "1" else "gfapi_async"
        ratios.append((g / f, f"gfapi {op} qd{qd} vs {eng}"))
        print(f"{'gfapi':6} {op:10} {qd:>3} {g:9,.0f} {gp:8,.0f}  {eng:12} {f:9,.0f} {fp:8,.0f} {g / f:6.2f}  {spread()}")
        for path in paths:
            for eng in engines:
                g, gp = gfbench(path, op, qd)
                f, fp = fio(f"fio-{path}-{eng}-{op}-{qd}")
                ratios.append((g / f, f"{path} {op} qd{qd} vs {eng}"))
                print(f"{path:6} {op:10} {qd:>3} {g:9,.0f} {gp:8,.0f}  {eng:12} {f:9,.0f} {fp:8,.0f} {g / f:6.2f}  {spread()}")
    if threads:
        g, gp = gfbench("gfapi", op, 1, threads_run=True)
        f, fp = fio(f"fio-gfapi-threads-{op}")
        ratios.append((g / f, f"gfapi {op} {threads} threads vs gfapi numjobs"))
        print(f"{'gfapi':6} {op:10} t{threads:>2} {g:9,.0f} {gp:8,.0f}  {'gfapi x' + threads:12} {f:9,.0f} {fp:8,.0f} {g / f:6.2f}  {spread()}")
print()
print("gfapi / fuse (gfbench, median IOPS over median IOPS):")
for op in ops:
    for qd in depths:
        ga, _ = gfbench("gfapi", op, qd)
        gu, _ = gfbench("fuse", op, qd)
        print(f"  {op:10} qd {qd:>2}: {ga / gu:5.2f}")
low = min(ratios)
print(f"lowest gfbench/fio ratio: {low[0]:.2f} ({low[1]})")

def bare(name):
    iops = []
    for r in range(1, runs + 1):
        m = re.search(r"^median iops ([0-9.]+)", open(f"{out}/{name}-{r}.txt").read(), re.M)
        if not m:
            sys.exit(f"compare-fio-qd: {name}-{r}: no median in the bare loop's output")
        iops.append(float(m.group(1)))
    per_run["fio"] = iops  # the loop stands where fio stood: spread() pairs it with gfbench
    return statistics.median(iops)

if waits:
    print()
    print(f"gfbench against the bare loops (tools/bare_async.cpp), median IOPS of {runs} runs; ratio: gfbench / the loop")
    print(f"{'path':6} {'op':10} {'qd':>3} {'gfbench':>9}  {'loop':14} {'IOPS':>9} {'ratio':>6}  paired: geo-mean [95 %] verdict, runs")
    for op in ops:
        if op == "randrw":
            continue
        for qd in depths:
            g, _ = gfbench("gfapi", op, qd)
            for w in waits:
                b = bare(f"bare-gfapi-{w}-{op}-{qd}")
                print(f"{'gfapi':6} {op:10} {qd:>3} {g:9,.0f}  {w:14} {b:9,.0f} {g / b:6.2f}  {spread()}")
            for path in paths:
                g, _ = gfbench(path, op, qd)
                b = bare(f"bare-{path}-io_uring-{op}-{qd}")
                print(f"{path:6} {op:10} {qd:>3} {g:9,.0f}  {'io_uring':14} {b:9,.0f} {g / b:6.2f}  {spread()}")
PY
if [ "$keep_out" = 1 ]; then echo "raw results in $out" >&2; fi
