#!/usr/bin/env bash
# Where the CPU goes per I/O, client and bricks: gfbench's queued case, fio's
# gfapi_async engine (at depth 1 its synchronous gfapi) and the bare async loops (tools/bare_async.cpp, each
# --wait strategy) run the same 4 KiB random reads or writes at one queue
# depth on a libgfapi file, one after the other, in --rounds rounds. While each runs, the CPU time and
# context switches of its threads and of the volume's local brick processes
# (glusterfsd) are read from /proc over a window inside the timed phase,
# grouped by thread name, and divided by the I/Os done in the window
# (the run's IOPS times the window).
#
#   tools/cpu-per-io.sh [--volume V --server HOST] [--depth 32] [--op randread]
#                       [--size 256MiB] [--runtime 20] [--rounds 2]
#                       [--waits futex,batch,poll] [--fio yes|no]
#
# The window starts 8 s after each program starts (after its lay-out of
# 256 MiB, 2-4 s here) and ends 2 s before its run would, so --runtime must
# be at least 14. Bricks on other hosts are not seen: then only the client
# is broken down. Without --volume the script runs itself in a sandbox
# (gfbench-sandbox) with a volume gfs-volume-proxmox. fio runs as one
# process (--thread), on a file of its own laid out before each round as
# tools/compare-fio-qd.sh lays out its own, with that script's job options.
# Needs root, a build (GFBENCH_BUILD_DIR or build/), python3 and (unless
# --fio no) fio.
set -euo pipefail

name=cpu-per-io
# shellcheck source=tools/compare-common.sh
. "$(dirname "$0")/compare-common.sh"
args=("$@")

volume=""
server=""
depth=32
op=randread
size=256MiB
runtime=20
rounds=2
waits="futex,batch,poll"
with_fio=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --volume) volume=$2; shift 2 ;;
    --server) server=$2; shift 2 ;;
    --depth) depth=$2; shift 2 ;;
    --op) op=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --runtime) runtime=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --waits) waits=$2; shift 2 ;;
    --fio) with_fio=$2; shift 2 ;;
    -h|--help) compare_usage 0 ;;
    *) echo "$name: unknown argument $1" >&2; compare_usage 2 ;;
  esac
done
case "$op" in
  randread|randwrite) ;;
  *) echo "$name: --op takes randread or randwrite, not $op" >&2; exit 2 ;;
esac
if ! [[ "$depth" =~ ^[0-9]+$ ]] || [ "$depth" -lt 1 ]; then
  echo "$name: --depth takes a number of at least 1, not $depth" >&2
  exit 2
fi
if ! [[ "$runtime" =~ ^[0-9]+$ ]] || [ "$runtime" -lt 14 ]; then
  echo "$name: --runtime takes whole seconds, at least 14, not $runtime" >&2
  exit 2
fi
if ! [[ "$rounds" =~ ^[0-9]+$ ]] || [ "$rounds" -lt 1 ]; then
  echo "$name: --rounds takes a number of at least 1, not $rounds" >&2
  exit 2
fi
size_bytes=$(compare_bytes --size "$size") || exit 2
case "$with_fio" in
  yes) compare_require fio ;;
  no) ;;
  *) echo "$name: --fio takes yes or no, not $with_fio" >&2; exit 2 ;;
esac

compare_require python3
compare_volume_or_sandbox "${args[@]}"
[ -x "$build/tools/gfbench-bare-async" ] ||
  { echo "$name: $build/tools/gfbench-bare-async is missing: build first" >&2; exit 1; }

out=$(mktemp -d "${TMPDIR:-/tmp}/cpu-per-io-XXXXXX")
fio_dir="/cpu-per-io-$(uname -n)-$$"
fio_dir_made=0
fio_log=/tmp/fio_gfapi.log  # fio's gfapi engines log there
fio_log_existed=0
[ -e "$fio_log" ] && fio_log_existed=1
bare() { "$build/tools/gfbench-bare-pwrite" --volume "$volume" --server "$server" "$@"; }
cleanup() {
  if [ "$fio_dir_made" = 1 ]; then
    bare --rmdir "$fio_dir" || echo "$name: could not remove $fio_dir on $volume" >&2
  fi
  if [ "$fio_log_existed" = 0 ]; then rm -f "$fio_log"; fi
  rm -rf "$out"
}
trap cleanup EXIT
window_start=8
window_end=$((runtime - 2))

# The volume's brick processes on this host, read from /proc (never signalled).
bricks() {
  local p
  for p in /proc/[0-9]*; do
    tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q -- "glusterfsd .*--volfile-id $volume\." &&
      echo "${p#/proc/}"
  done
  return 0
}

sample() {  # <pid> <label> <bricks...>: the window's CPU and switches, per thread name
  python3 - "$window_start" "$window_end" "$@" <<'PY'
import os, re, sys, time
from collections import defaultdict
start, end, pid, label = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
bricks = [int(b) for b in sys.argv[5:]]
hz = os.sysconf("SC_CLK_TCK")

def snap():
    seen = defaultdict(lambda: [0.0, 0])
    for side, p in [("client", pid)] + [("brick", b) for b in bricks]:
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except FileNotFoundError:
            continue
        for t in tasks:
            try:
                stat = open(f"/proc/{p}/task/{t}/stat").read()
                status = open(f"/proc/{p}/task/{t}/status").read()
            except FileNotFoundError:
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2:].split()
            switches = sum(int(n) for n in re.findall(r"ctxt_switches:\s+(\d+)", status))
            group = re.sub(r"[0-9a-f]{3}$", "", comm) if comm.startswith("glfs_") else "own"
            seen[(side, group)][0] += (int(fields[11]) + int(fields[12])) / hz
            seen[(side, group)][1] += switches
    return seen

t0 = time.monotonic()
time.sleep(start)
a = snap()
t1 = time.monotonic()
time.sleep(end - start)
b = snap()
window = time.monotonic() - t1
with open(f"{label}.window", "w") as f:
    f.write(f"window {window:.3f}\n")
    for key in sorted(b):
        cpu = b[key][0] - a.get(key, [0.0, 0])[0]
        sw = b[key][1] - a.get(key, [0.0, 0])[1]
        f.write(f"{key[0]} {key[1]} {cpu:.3f} {sw}\n")
PY
}

measure() {  # <label> <command...>
  local label=$1
  shift
  "$@" >"$out/$label.txt" 2>&1 &
  local pid=$!
  # shellcheck disable=SC2046
  sample "$pid" "$out/$label" $(bricks)
  wait "$pid" || { cat "$out/$label.txt" >&2; exit 1; }
}

gf_op=${op/randread/random_read}
gf_op=${gf_op/randwrite/random_write}
IFS=, read -r -a wait_list <<<"$waits"
programs=gfbench
if [ "$with_fio" = yes ]; then
  programs+=",fio"
  bare --mkdir "$fio_dir"
  fio_dir_made=1
fi
programs+=",$waits"
gfapi_args=(--volume="$volume" --brick="$server")
# At depth 1 gfbench calls glfs_pread/glfs_pwrite and waits, as fio's
# synchronous engine does; the bare loops keep one asynchronous request.
fio_engine=gfapi_async
[ "$depth" = 1 ] && fio_engine=gfapi
for r in $(seq 1 "$rounds"); do
  echo "+ round $r of $rounds: ${programs//,/, }" >&2
  measure "gfbench-$r" "$build/tools/gfbench" --volume "$volume" --server "$server" \
    --ops "$gf_op" --read-cache warm --sizes "$size" --block-sizes 4KiB --queue-depth "$depth" \
    --runtime "$runtime" --ramp-up 1 --no-profile --benchmark_repetitions=1 \
    "--benchmark_out=$out/gfbench-$r.json" --benchmark_out_format=json --log-level warn
  if [ "$with_fio" = yes ]; then
    # A file of its own per round, laid out (and fsynced) outside the window.
    fio --output-format=json --output="$out/layout-$r.json" --name=layout --ioengine=gfapi \
      "${gfapi_args[@]}" --filename="$fio_dir/file-$r" --rw=write --bs=1048576 --size="$size_bytes" \
      --end_fsync=1 >"$out/layout-$r.log" 2>&1 || { cat "$out/layout-$r.log" >&2; exit 1; }
    measure "fio-$r" fio --thread --output-format=json --output="$out/fio-$r.json" --name="$op" \
      --ioengine="$fio_engine" "${gfapi_args[@]}" --filename="$fio_dir/file-$r" --rw="$op" \
      --bs=4096 --size="$size_bytes" --iodepth="$depth" --time_based=1 --runtime="$runtime" \
      --ramp_time=1 --randrepeat=0 --norandommap=1
  fi
  for w in "${wait_list[@]}"; do
    measure "$w-$r" "$build/tools/gfbench-bare-async" --volume "$volume" --server "$server" \
      --size "$size" --bs 4KiB --depth "$depth" --op "$op" --runtime "$runtime" --wait "$w"
  done
done

python3 - "$out" "$rounds" "$programs" "$op" "$depth" <<'PY'
import json, re, statistics, sys
out, rounds, programs, op, depth = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(","), sys.argv[4], sys.argv[5]

def iops(label):
    if label.startswith("gfbench"):
        return json.load(open(f"{out}/{label}.json"))["benchmarks"][0]["IOPS"]
    if label.startswith("fio"):
        text = open(f"{out}/{label}.json").read()
        job = json.loads(text[text.index("{"):])["jobs"][0]
        return job["read"]["iops"] + job["write"]["iops"]
    text = open(f"{out}/{label}.txt").read()
    return float(re.search(r"^median iops ([0-9.]+)", text, re.M).group(1))

def window(label):
    lines = open(f"{out}/{label}.window").read().split("\n")
    seconds = float(lines[0].split()[1])
    groups = {}
    for line in lines[1:]:
        if line:
            side, group, cpu, sw = line.split()
            groups[(side, group)] = (float(cpu), int(sw))
    return seconds, groups

print(f"CPU per I/O, {op} 4 KiB at depth {depth}; microseconds of CPU (and context switches) per I/O,"
      f" median of {rounds} round(s)")
cols = [("client", "own"), ("client", "glfs_epoll"), ("client", "glfs_iotwr"), ("client", None),
        ("brick", "glfs_epoll"), ("brick", "glfs_iotwr"), ("brick", "glfs_rpcrqhnd"), ("brick", None)]
head = ["IOPS", "client:own", "epoll", "io-thr", "all", "brick:epoll", "io-thr", "rpc", "all",
        "sw/IO", "cores"]
print(f"{'program':14}" + "".join(f"{h:>12}" for h in head))
for prog in programs:
    rows = []
    for r in range(1, rounds + 1):
        label = f"{prog}-{r}"
        n = iops(label)
        seconds, g = window(label)
        ios = n * seconds
        row = [n]
        for side, group in cols:
            cpu = sum(v[0] for k, v in g.items() if k[0] == side and (group is None or k[1] == group))
            row.append(cpu / ios * 1e6)
        row.append(sum(v[1] for v in g.values()) / ios)
        row.append(sum(v[0] for v in g.values()) / seconds)
        rows.append(row)
    med = [statistics.median(col) for col in zip(*rows)]
    name = prog if prog in ("gfbench", "fio") else f"bare {prog}"
    print(f"{name:14}{med[0]:12,.0f}" + "".join(f"{v:12.1f}" for v in med[1:-1]) + f"{med[-1]:12.2f}")
print("client:own is the program's own threads (fio's: its job thread); io-thr the io-threads"
      " translator's; cores the CPUs busy on average (client and local bricks)")
PY
