# Sourced by the comparison scripts (compare-*.sh, cpu-per-io.sh): what they
# need before they measure. The sourcing script sets
# `name` (for messages) first; this file sets `build` and `self`.

build=${GFBENCH_BUILD_DIR:-$(cd "$(dirname "$0")/.." && pwd)/build}
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

# The script's header comment, up to `set -euo`, as its --help.
compare_usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

# gfbench, the sandbox runner and the bare loop must be built; each command
# named must be installed.
compare_require() {
  local tool cmd
  for tool in gfbench gfbench-sandbox gfbench-bare-pwrite; do
    if [ ! -x "$build/tools/$tool" ]; then
      echo "$name: $build/tools/$tool is missing: build first (cmake --build build)" >&2
      exit 1
    fi
  done
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null || { echo "$name: $cmd is not installed" >&2; exit 1; }
  done
}

# Without --volume: the volume gfbench-sandbox announced (GFBENCH_VOLUME and
# GFBENCH_SERVER, and GFBENCH_FUSE for its FUSE mount), or else this script
# runs again, with the same arguments, inside a new sandbox with a volume
# gfs-volume-proxmox (then it does not return); with `sandbox_fuse=1` set
# by the caller that sandbox FUSE-mounts the volume too. Sets `server` to
# localhost when none was given.
# Usage: compare_volume_or_sandbox "${original_args[@]}"
compare_volume_or_sandbox() {
  if [ -z "$volume" ] && [ -n "${GFBENCH_VOLUME:-}" ]; then
    volume=$GFBENCH_VOLUME
    server=${GFBENCH_SERVER:-}
    [ -n "${fuse_dir:-}" ] || fuse_dir=${GFBENCH_FUSE:-}
  fi
  if [ -z "$volume" ]; then
    echo "$name: no --volume: starting a sandbox volume gfs-volume-proxmox" >&2
    local flags=(--quiet --volume gfs-volume-proxmox)
    [ "${sandbox_fuse:-0}" = 1 ] && flags+=(--fuse)
    exec "$build/tools/gfbench-sandbox" "${flags[@]}" -- "$self" "$@"
  fi
  [ -n "$server" ] || server=localhost
}

# A size as gfbench reads it (KiB = 1024 B, k = 1000 B, case ignored), in
# bytes, for fio. fio reads the same suffixes the other way round by default
# (kb_base=1024: k = 1024 B, KiB = 1000 B), so "4KiB" would give it
# 4000-byte records and "256MiB" a file of 256,000,000 B; a byte count means
# the same to both. Prints nothing and returns 2 when `value` is no size.
# Usage: bytes=$(compare_bytes --flag value) || exit 2
compare_bytes() {
  local flag=$1 text=${2,,} number unit power
  number=${text%%[!0-9]*}
  unit=${text#"$number"}
  case $unit in
    "" | b) power=0 ;;
    kib) power=10 ;;
    mib) power=20 ;;
    gib) power=30 ;;
    k | kb) power=k ;;
    m | mb) power=m ;;
    g | gb) power=g ;;
    *) number="" ;;
  esac
  if [ -z "$number" ] || [ "$((10#$number))" = 0 ]; then
    echo "$name: $flag $2 is not a size: give bytes or KiB, MiB, GiB (1024-based), k, M, G (1000-based)" >&2
    return 2
  fi
  case $power in
    k) echo $((10#$number * 1000)) ;;
    m) echo $((10#$number * 1000000)) ;;
    g) echo $((10#$number * 1000000000)) ;;
    *) echo $((10#$number << power)) ;;
  esac
}
