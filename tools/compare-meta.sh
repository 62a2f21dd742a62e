#!/usr/bin/env bash
# Compares gfbench's metadata cases (create, stat and unlink of many small
# files) with fio's filecreate, filestat and filedelete engines and with
# bonnie++'s create/stat/delete section on one Gluster volume, all three
# through the volume's FUSE mount with the same files per thread, threads
# and file size, and gfbench through libgfapi beside them. Prints per
# operation the median files/s of each, the ratios gfbench-fuse/fio and
# gfbench-fuse/bonnie++ (the goal is >= 1.0) and gfapi/fuse.
#
#   tools/compare-meta.sh [--volume V --server HOST --fuse DIR] [--files 4096]
#                         [--threads 1] [--size 0] [--runs 3] [--rounds 2]
#                         [--no-bonnie] [--out DIR]
#
# --files is per thread, --size in bytes per file, --runs per tool and
# round; --out keeps the raw outputs. gfbench runs first in odd rounds, the
# peers first in even ones, so that a slow stretch of a shared machine does
# not hit one tool only.
#
# gfbench runs --ops create,stat,unlink --meta-cache warm, one process per
# round for both targets. fio runs filecreate, filestat and filedelete per
# run in a fresh directory (numjobs = threads, nrfiles = files,
# group_reporting, files/s = iops); filecreate does not write, so its files
# stay 0 bytes whatever --size, and fio lays the files out to the size
# (at least 1 byte: fio refuses 0) before filestat and filedelete,
# untimed. bonnie++ runs -s 0 -n files/1024:size:size:1 and gives its
# sequential create, stat and delete; with a size > 0 its create writes
# each file and its stat reads it. bonnie++ counts files in 1024s (--files
# must be a multiple unless --no-bonnie) and is single-threaded: with
# --threads > 1 it is not run and its column shows '-'.
#
# fio and bonnie++ work in a directory of their own on the mount, one
# subdirectory per run, removed at the end, also on failure or Ctrl-C; the
# script checks that the runs left nothing there, nor gfbench anything at
# the top of the mount. Without --volume (and GFBENCH_VOLUME) the script
# runs itself under `gfbench-sandbox --volume gfs-volume-proxmox --fuse`.
# Needs root, a build (GFBENCH_BUILD_DIR or build/), fio, bonnie++ and
# python3. Exits 0 when it ran, 1 when a tool failed or left files, 2 on
# bad usage.
set -euo pipefail

name=compare-meta
# shellcheck source=tools/compare-common.sh
. "$(dirname "$0")/compare-common.sh"
args=("$@")

volume="" server="" fuse_dir="" out=""
files=4096 threads=1 size=0 runs=3 rounds=2 bonnie=1

usage_error() { echo "$name: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --volume|--server|--fuse|--files|--threads|--size|--runs|--rounds|--out)
      [ $# -ge 2 ] || usage_error "$1 needs a value" ;;
  esac
  case "$1" in
    --volume) volume=$2; shift 2 ;;
    --server) server=$2; shift 2 ;;
    --fuse) fuse_dir=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --no-bonnie) bonnie=0; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) compare_usage 0 ;;
    *) echo "$name: unknown argument $1" >&2; compare_usage 2 ;;
  esac
done
for flag in files threads size runs rounds; do  # whole numbers, in base 10
  least=1 unit=""
  if [ "$flag" = size ]; then least=0 unit=" of bytes"; fi
  if [[ ! ${!flag} =~ ^[0-9]+$ ]] || [ $((10#${!flag})) -lt $least ]; then
    usage_error "--$flag takes a whole number$unit >= $least, not '${!flag}'"
  fi
  printf -v "$flag" %d $((10#${!flag}))
done
bonnie_note="bonnie++ not run (--no-bonnie)"
if [ "$bonnie" = 1 ] && [ "$threads" -gt 1 ]; then
  bonnie=0
  bonnie_note="bonnie++ not run: it is single-threaded, and --threads is $threads"
elif [ "$bonnie" = 1 ] && [ $((files % 1024)) != 0 ]; then
  usage_error "--files $files: bonnie++ counts files in 1024s; give a multiple of 1024, or --no-bonnie"
fi

tools=(fio python3)
if [ "$bonnie" = 1 ]; then tools+=(bonnie++); fi
compare_require "${tools[@]}"
sandbox_fuse=1
compare_volume_or_sandbox "${args[@]}"
[ -n "$fuse_dir" ] || usage_error "no FUSE mount: give --fuse DIR"
[ -d "$fuse_dir" ] || usage_error "--fuse $fuse_dir is not a directory"
fuse_dir=$(cd "$fuse_dir" && pwd)

# filecreate keeps up to openfiles descriptors open per job (a process);
# the default, all nrfiles, is fio's fastest: make room for it.
fio_open=()
open_note="openfiles = nrfiles (fio's default)"
need=$((files + 64))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ] &&
  ! ulimit -Sn "$need" 2>/dev/null && ! ulimit -n "$need" 2>/dev/null; then
  fio_open=(--openfiles=256)
  open_note="openfiles=256 (the open-file limit, $(ulimit -n), cannot be raised to nrfiles + 64)"
fi

keep_out=1
[ -n "$out" ] || { out=$(mktemp -d "${TMPDIR:-/tmp}/compare-meta-XXXXXX"); keep_out=0; }
mkdir -p "$out"
work="$fuse_dir/compare-meta-$(uname -n)-$$-$(date +%s)"
top_entries() { find "$fuse_dir" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort; }
top_before=$(top_entries)
# shellcheck disable=SC2317 # run by the trap
cleanup() {
  if [ -e "$work" ]; then rm -rf "$work" || echo "$name: could not remove $work" >&2; fi
  if [ "$keep_out" = 0 ]; then rm -rf "$out"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir "$work"

left=()  # what the runs left behind
check_gone() {  # <dir> <who>: the run's directory must be empty; removes it
  local n
  n=$(find "$1" -mindepth 1 | wc -l)
  if [ "$n" = 0 ]; then rmdir "$1"; return; fi
  left+=("$2 left $n entries in $1")
  echo "$name: $2 left $n entries in $1" >&2
  rm -rf "$1"
}
failed() {  # <what> <files to show...>
  echo "$name: $1 failed:" >&2
  cat "${@:2}" >&2 2>/dev/null || true
  exit 1
}
echo "volume $volume on $server; FUSE mount $fuse_dir; $files files per thread;" \
  "$threads thread(s); $size B per file; $runs runs per round; $rounds round(s)" >&2

gfbench_round() {  # <round>
  gfbench_cmd=("$build/tools/gfbench" --volume "$volume" --server "$server" --posix "$fuse_dir=fuse"
    --file-count "$files" --threads "$threads" --sizes "$size" --ops "create,stat,unlink"
    --meta-cache warm --no-profile --log-level warn "--benchmark_repetitions=$runs"
    "--benchmark_out=$out/gfbench-$1.json" --benchmark_out_format=json)
  echo "+ ${gfbench_cmd[*]}" >&2
  "${gfbench_cmd[@]}" >"$out/gfbench-$1.txt" 2>&1 || failed gfbench "$out/gfbench-$1.txt"
}

fio_size=$((size > 0 ? size : 1))
fio_job() {  # <json> <fio args...>
  local json=$1
  shift
  fio --output-format=json --output="$json" "$@" >"$json.log" 2>&1 ||
    failed "fio $*" "$json.log" "$json"
}
fio_run() {  # <round> <run>
  local dir=$work/fio-$1-$2 base=$out/fio-$1-$2
  # bs = file size: one "I/O" per file, so that total_ios counts files.
  local common=(--name=meta --directory="$dir" --nrfiles="$files" --numjobs="$threads"
    --group_reporting --filesize="$fio_size" --bs="$fio_size" --fallocate=none "${fio_open[@]}")
  mkdir "$dir"
  echo "+ fio filecreate, filestat, filedelete ${common[*]} (round $1 run $2)" >&2
  fio_job "$base-create.json" --ioengine=filecreate "${common[@]}" --create_on_open=1
  fio_job "$base-stat.json" --ioengine=filestat "${common[@]}"
  fio_job "$base-delete.json" --ioengine=filedelete "${common[@]}" --unlink=0
  check_gone "$dir" "fio round $1 run $2"
}

bonnie_run() {  # <round> <run>
  local dir=$work/bonnie-$1-$2 base=$out/bonnie-$1-$2
  local cmd=(bonnie++ -d "$dir" -s 0 -n "$((files / 1024)):$size:$size:1" -u root -q -x 1)
  mkdir "$dir"
  echo "+ ${cmd[*]} (round $1 run $2)" >&2
  # -q: the CSV line on stdout, the text table on stderr.
  "${cmd[@]}" >"$base.csv" 2>"$base.txt" || failed bonnie++ "$base.txt" "$base.csv"
  check_gone "$dir" "bonnie++ round $1 run $2"
}

peers_round() {  # <round>
  local r
  for r in $(seq 1 "$runs"); do
    fio_run "$1" "$r"
    if [ "$bonnie" = 1 ]; then bonnie_run "$1" "$r"; fi
  done
}

for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then gfbench_round "$round"; peers_round "$round"
  else peers_round "$round"; gfbench_round "$round"; fi
done
check_gone "$work" "the runs"
new_top=$(comm -13 <(echo "$top_before") <(top_entries) | tr '\n' ' ')
if [ -n "$new_top" ]; then left+=("new at the top of $fuse_dir: $new_top"); fi

# --- the table ------------------------------------------------------------------
status=0
python3 - "$out" "$rounds" "$runs" "$threads" "$files" "$size" "$fio_size" "$bonnie" \
  "$bonnie_note" "$open_note" "${gfbench_cmd[*]}" <<'PY' || status=1
import json, statistics, sys

out = sys.argv[1]
rounds, runs, threads, files, size, fio_size = (int(x) for x in sys.argv[2:8])
bonnie, bonnie_note, open_note, gfbench_cmd = sys.argv[8] == "1", *sys.argv[9:12]
OPS, INF, n = ("create", "stat", "delete"), float("inf"), rounds * runs
RUNS = [(rnd, r) for rnd in range(1, rounds + 1) for r in range(1, runs + 1)]
problems = []

def load(path):
    text = open(path).read()
    return json.loads(text[text.index("{"):])  # a tool may print text first

# gfbench: names like fuse/meta:create/files:4096/...: the target, then the
# operation; the rest is not relied on.
gf = {}
for rnd in range(1, rounds + 1):
    for b in load(f"{out}/gfbench-{rnd}.json")["benchmarks"]:
        parts = b["name"].split("/")
        if len(parts) < 2 or not parts[1].startswith("meta:") or b.get("run_type") != "iteration":
            continue
        if b.get("error_occurred"):
            problems.append(f"gfbench {b['name']} failed: {b.get('error_message', '?')}")
            continue
        op = parts[1][len("meta:"):].replace("unlink", "delete")
        gf.setdefault((parts[0], op), []).append(b["files_per_second"])
for target, op in [(t, op) for t in ("fuse", "gfapi") for op in OPS]:
    if len(gf.get((target, op), [])) != n:
        problems.append(f"gfbench {target} {op}: {len(gf.get((target, op), []))} good runs of {n}")

# fio: group_reporting makes one entry of all jobs; these engines count in "read".
fio = {op: [] for op in OPS}
for (rnd, r), op in [(x, op) for x in RUNS for op in OPS]:
    job = load(f"{out}/fio-{rnd}-{r}-{op}.json")["jobs"][0]
    if job.get("error") or job["read"]["total_ios"] != files * threads:
        problems.append(f"fio {op} round {rnd} run {r}: error {job.get('error')}, "
                        f"{job['read']['total_ios']} files of {files * threads}")
    fio[op].append(job["read"]["iops"])

# bonnie++: CSV fields 26, 28, 30 are the sequential create, stat, delete.
bon = {op: [] for op in OPS}
for rnd, r in RUNS if bonnie else []:
    rows = [l.split(",") for l in open(f"{out}/bonnie-{rnd}-{r}.csv") if l.count(",") >= 31]
    for op, field in zip(OPS, (26, 28, 30)):
        v = rows[-1][field].strip() if rows else "no CSV line"
        try:
            bon[op].append(INF if v.startswith("+") else float(v))
        except ValueError:
            problems.append(f"bonnie++ {op} round {rnd} run {r}: no rate ({v})")

def rate(x):
    return "-" if x is None else "+++++" if x == INF else f"{x:,.0f}"

def ratio(a, b):
    if a is None or b is None or a == INF:
        return "-"
    # '+++++': bonnie++ took under 0.5 s, so it did more than files / 0.5 s
    return f"<{a / (files / 0.5):.2f}" if b == INF else f"{a / b:.2f}"

print(f"gfbench vs fio and bonnie++ on the FUSE mount: {files} files per thread, {threads} "
      f"thread(s), {size} B per file; median files/s of {n} runs"
      f"{f' ({rounds} rounds of {runs})' if rounds > 1 else ''}")
print(f"{'op':7} {'gfb-fuse':>10} {'fio':>10} {'bonnie++':>10} {'gfb-gfapi':>10}  "
      f"{'fuse/fio':>8} {'fuse/bon':>8} {'gfapi/fuse':>10}")
for op in OPS:
    g, f, b, ga = (statistics.median(xs) if xs else None for xs in
                   (gf.get(("fuse", op)), fio[op], bon[op], gf.get(("gfapi", op))))
    print(f"{op:7} {rate(g):>10} {rate(f):>10} {rate(b):>10} {rate(ga):>10}  "
          f"{ratio(g, f):>8} {ratio(g, b):>8} {ratio(ga, g):>10}")
print(f"""
fio: files/s = iops (all files / the slowest job's runtime, whole ms); filecreate only
     opens with O_CREAT: its files stay 0 B whatever --size; filestat and filedelete get
     files laid out to {fio_size} B by fio first, untimed{' (fio refuses size 0)' if size == 0 else ''};
     {open_note}""")
if bonnie:
    print("bonnie++: sequential create, stat (readdir order), delete; one thread; '+++++' = under\n"
          "     0.5 s, too fast to measure (a ratio beside it is an upper bound)"
          + (f"\n     with {size} B files its create writes each file and its stat reads it"
             if size else ""))
else:
    print(bonnie_note)
print(f"gfbench: {gfbench_cmd}")
for p in problems:
    print(f"problem: {p}")
sys.exit(1 if problems else 0)
PY
for l in "${left[@]}"; do echo "left behind: $l"; status=1; done
if [ "$keep_out" = 1 ]; then echo "raw results in $out" >&2; fi
exit "$status"
