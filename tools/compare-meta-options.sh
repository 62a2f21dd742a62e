#!/usr/bin/env bash
# A/B of the volume options that matter for small files, as one gfbench
# run with --compare-options: a sandbox of two nodes with a brick each
# (distributed), a volume of its own per configuration (its options set
# before it starts, so no client carries a cache or a graph from another
# configuration), the metadata phases through libgfapi and the FUSE mount,
# every configuration once per round, the rounds interleaving them. The
# summary's "Options compared" table gives each configuration's files/s
# over the defaults', the rounds' geometric mean with its 95 % interval,
# and a verdict (faster, slower, or ~: no difference this run can show)
# after Holm's correction over every cell.
#
#   tools/compare-meta-options.sh [--files 2000] [--threads 4] [--size 4KiB]
#                                 [--ops create,stat,readdir_stat,unlink]
#                                 [--rounds 5] [--target-ci PERCENT] [--out DIR]
#
# Configurations:
#   default           the volume as `volume create` makes it
#   metadata-cache    the metadata-cache group: md-cache with upcall
#                     invalidation and a 600 s timeout
#   nl-cache          the nl-cache group: negative lookups cached
#   parallel-readdir  performance.parallel-readdir on (readdir-ahead on
#                     every distribute subvolume)
# --target-ci runs rounds until every interval is that narrow (at most 30);
# --out keeps gfbench's report (summary.json, for `gfbench compare`).
# Needs root and a build (GFBENCH_BUILD_DIR or build/).
set -euo pipefail

name=compare-meta-options
# shellcheck source=tools/compare-common.sh
. "$(dirname "$0")/compare-common.sh"

files=2000
threads=4
size=4KiB
ops=create,stat,readdir_stat,unlink
rounds=5
target_ci=""
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --ops) ops=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --target-ci) target_ci=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) compare_usage 0 ;;
    *) echo "$name: unknown argument $1" >&2; compare_usage 2 ;;
  esac
done
case "$rounds" in ''|*[!0-9]*|0) echo "$name: --rounds takes a positive number" >&2; exit 2 ;; esac
compare_require

args=(--sandbox distribute2
      --compare-options default=
      --compare-options metadata-cache=group=metadata-cache
      --compare-options nl-cache=group=nl-cache
      --compare-options parallel-readdir=performance.parallel-readdir=on
      --file-count "$files" --threads "$threads" --sizes "$size" --ops "$ops")
if [ -n "$target_ci" ]; then
  args+=(--target-ci "$target_ci")
else
  args+=(--benchmark_repetitions="$rounds")
fi
[ -z "$out" ] || args+=(--report "$out")
echo "+ gfbench ${args[*]}" >&2
exec "$build/tools/gfbench" "${args[@]}"
