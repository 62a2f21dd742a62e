#!/usr/bin/env bash
# A/B of the volume options that matter for small files, on sandbox
# volumes (two nodes, a brick each, distributed): the same metadata phases through libgfapi and the FUSE mount,
# once per configuration, each in a fresh sandbox (so no client carries a
# cache or a graph from the configuration before), the configurations in a
# different order each round. Prints files/s per phase, target and
# configuration, the median over rounds, and each configuration's ratio to
# the defaults.
#
#   tools/compare-meta-options.sh [--files 2000] [--threads 4] [--size 4KiB]
#                                 [--ops create,stat,readdir_stat,unlink]
#                                 [--rounds 2] [--out DIR]
#
# Configurations:
#   default           the volume as `volume create` makes it
#   metadata-cache    the metadata-cache group: md-cache with upcall
#                     invalidation and a 600 s timeout
#   nl-cache          the nl-cache group: negative lookups cached
#   parallel-readdir  performance.parallel-readdir on (readdir-ahead on
#                     every distribute subvolume)
# The groups' options are read from /var/lib/glusterd/groups, where
# glusterfs-server installs them, and set one by one through the sandbox's
# gluster CLI before anything connects. Needs root, a build
# (GFBENCH_BUILD_DIR or build/) and python3.
set -euo pipefail

name=compare-meta-options
# shellcheck source=tools/compare-common.sh
. "$(dirname "$0")/compare-common.sh"

files=2000
threads=4
size=4KiB
ops=create,stat,readdir_stat,unlink
rounds=2
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --ops) ops=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) compare_usage 0 ;;
    *) echo "$name: unknown argument $1" >&2; compare_usage 2 ;;
  esac
done
case "$rounds" in ''|*[!0-9]*|0) echo "$name: --rounds takes a positive number" >&2; exit 2 ;; esac
compare_require python3

keep_out=1
if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/$name-XXXXXX")
  keep_out=0
fi
trap '[ "$keep_out" = 1 ] || rm -rf "$out"' EXIT

groups=/var/lib/glusterd/groups
configs=(default metadata-cache nl-cache parallel-readdir)
# The options of a configuration, one "key value" per line.
options_of() {
  case "$1" in
    default) ;;
    metadata-cache|nl-cache)
      [ -r "$groups/$1" ] || { echo "$name: $groups/$1 is missing (glusterfs-server)" >&2; exit 1; }
      sed -n 's/^\([^#=][^=]*\)=\(.*\)$/\1 \2/p' "$groups/$1" ;;
    parallel-readdir) echo "performance.parallel-readdir on" ;;
  esac
}

# One run inside a fresh sandbox: set the options, then run gfbench.
run_config() {  # <config> <round>
  local opts
  opts=$(options_of "$1")
  # shellcheck disable=SC2016 # expanded by the inner shell, inside the sandbox
  OPTIONS="$opts" "$build/tools/gfbench-sandbox" --quiet --nodes 2 --fuse -- bash -c '
    set -euo pipefail
    sock=$(find "$GFBENCH_BASE_DIR" -name gd.sock -print -quit)
    while read -r key value; do
      [ -n "$key" ] || continue
      gluster --glusterd-sock="$sock" --mode=script volume set "$GFBENCH_VOLUME" "$key" "$value" >/dev/null
    done <<<"$OPTIONS"
    exec "$0" --volume "$GFBENCH_VOLUME" --server "$GFBENCH_SERVER" --posix "$GFBENCH_FUSE=fuse" \
      --file-count "$1" --threads "$2" --sizes "$3" --ops "$4" --no-profile --log-level warn \
      --benchmark_repetitions=1 --benchmark_out="$5" --benchmark_out_format=json
  ' "$build/tools/gfbench" "$files" "$threads" "$size" "$ops" "$out/$1-$2.json" >"$out/$1-$2.txt" 2>&1 || {
    cat "$out/$1-$2.txt" >&2
    exit 1
  }
}

for round in $(seq 1 "$rounds"); do
  n=${#configs[@]}
  for i in $(seq 0 $((n - 1))); do
    config=${configs[$(((i + round - 1) % n))]}
    echo "+ round $round: $config" >&2
    run_config "$config" "$round"
  done
done

python3 - "$out" "$rounds" "${configs[@]}" <<'PY'
import json, statistics, sys
out, rounds, configs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rates = {}  # (target, phase) -> config -> [files/s]
order = []
for config in configs:
    for r in range(1, rounds + 1):
        text = open(f"{out}/{config}-{r}.json").read()
        for b in json.loads(text[text.index("{"):])["benchmarks"]:
            if b.get("run_type") != "iteration" or b.get("error_occurred"):
                continue
            parts = b["name"].split("/")
            key = (parts[0], parts[1].removeprefix("meta:"))
            if key not in rates:
                rates[key] = {}
                order.append(key)
            rates[key].setdefault(config, []).append(b["files_per_second"])
print(f"files/s, median over {rounds} rounds (a fresh sandbox per configuration and round);"
      " x: ratio to default")
head = f"{'target':7} {'phase':13}" + "".join(f" {c:>22}" for c in configs)
print(head)
for key in order:
    base = statistics.median(rates[key]["default"]) if "default" in rates[key] else None
    cells = []
    for c in configs:
        v = rates[key].get(c)
        if not v:
            cells.append(f" {'-':>22}")
            continue
        m = statistics.median(v)
        ratio = f" ({m / base:.2f}x)" if base else ""
        cells.append(f" {m:>14,.0f}{ratio:>8}")
    print(f"{key[0]:7} {key[1]:13}" + "".join(cells))
PY
