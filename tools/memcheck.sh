#!/bin/sh
# memcheck.sh BUILD_DIR: short gfbench runs under valgrind's memcheck, failing
# on any leak or invalid access that the suppressions in tests/valgrind.supp
# do not name (they cover libgfapi's own memory only, never gfbench's).
#
#   1. a local directory (--posix): no libgfapi at all, so no suppression
#      may match anything (warm reads only: under valgrind a few pages of a
#      file stay in the page cache after POSIX_FADV_DONTNEED, so the POSIX
#      target rightly refuses to call a read cold);
#   2. a sandbox volume through libgfapi (writing, reading warm and cold)
#      and its FUSE mount (cold reads left out, as in 1), with --keep;
#   3. --read-only over the files run 2 kept.
#
# Needs root (the sandbox), valgrind, and a build of BUILD_DIR (not one with
# -DGFBENCH_SANITIZE: valgrind and AddressSanitizer do not mix). Takes a few
# minutes: valgrind slows libgfapi down some twenty times.
set -eu

build=${1:?usage: tools/memcheck.sh BUILD_DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
gfbench="$build/tools/gfbench"
sandbox="$build/tools/gfbench-sandbox"
supp="$here/tests/valgrind.supp"
for f in "$gfbench" "$sandbox" "$supp"; do
  [ -e "$f" ] || { echo "memcheck.sh: $f is missing" >&2; exit 2; }
done
command -v valgrind >/dev/null || { echo "memcheck.sh: apt-get install valgrind" >&2; exit 2; }
if nm -C "$gfbench" 2>/dev/null | grep -q __asan_init; then
  echo "memcheck.sh: $gfbench is built with AddressSanitizer; use a plain build" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gfbench-memcheck.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# definite and possible leaks and every invalid access are errors (valgrind
# then exits with 99, told apart from gfbench's own 1 and 2); memory
# still reachable at exit is not (libgfapi keeps its threads and pools).
# (One line each: they are also written into the script run in the sandbox.)
valgrind_flags="--leak-check=full --show-leak-kinds=definite,possible --errors-for-leak-kinds=definite,possible --error-exitcode=99 --track-origins=yes --num-callers=40 --suppressions=$supp"
# Valgrind makes everything slower; the deadlines follow.
common="--iterations 1 --benchmark_repetitions=1 --connect-timeout 120 --op-timeout 600 --log-level warn"

echo "== 1/3: gfbench on a local directory"
mkdir "$work/local"
# shellcheck disable=SC2086
valgrind $valgrind_flags --log-file="$work/local.vg" \
  "$gfbench" --posix "$work/local" --sizes 1MiB --ops write,rewrite,read,random_read \
  --read-cache warm --verify $common >"$work/local.out" 2>&1 || {
  cat "$work/local.out" "$work/local.vg"; echo "memcheck.sh: FAILED (local directory)"; exit 1; }
grep -E "ERROR SUMMARY|definitely|possibly" "$work/local.vg"

echo "== 2/3 and 3/3: gfbench on a sandbox volume (libgfapi and FUSE): I/O cases, metadata phases, then --read-only"
cat >"$work/volume.sh" <<SCRIPT
set -eu
valgrind $valgrind_flags --log-file="$work/volume.vg" \
  "$gfbench" --volume "\$GFBENCH_VOLUME" --server "\$GFBENCH_SERVER" --posix "\$GFBENCH_FUSE" \
  --sizes 1MiB --ops write,read --read-cache warm,cold --keep --scratch-dir /memcheck $common \
  '--benchmark_filter=-fuse/read/.*cache:cold' \
  >"$work/volume.out" 2>&1
# The run directories of both targets (gfapi and fuse), comma-separated.
runs=\$(ls "\$(echo "\$GFBENCH_BRICKS" | cut -d, -f1)/memcheck" | sed 's|^|/memcheck/|' | paste -sd, -)
valgrind $valgrind_flags --log-file="$work/meta.vg" \
  "$gfbench" --volume "\$GFBENCH_VOLUME" --server "\$GFBENCH_SERVER" --posix "\$GFBENCH_FUSE" \
  --file-count 40 --threads 2 --sizes 4KiB --meta-cache warm,cold --files-per-dir 16 \
  --benchmark_repetitions=1 --connect-timeout 120 --op-timeout 600 --log-level warn \
  >"$work/meta.out" 2>&1
valgrind $valgrind_flags --log-file="$work/readonly.vg" \
  "$gfbench" --volume "\$GFBENCH_VOLUME" --server "\$GFBENCH_SERVER" --read-only \
  --files "\$runs" --ops read,random_read --read-cache warm,cold $common \
  >"$work/readonly.out" 2>&1
SCRIPT
if ! "$sandbox" --quiet --fuse -- sh "$work/volume.sh"; then
  for f in volume.out volume.vg meta.out meta.vg readonly.out readonly.vg; do
    [ -e "$work/$f" ] && { echo "--- $f"; cat "$work/$f"; }
  done
  echo "memcheck.sh: FAILED (sandbox volume)"
  exit 1
fi
grep -E "ERROR SUMMARY|definitely|possibly" "$work/volume.vg" "$work/meta.vg" "$work/readonly.vg"
echo "memcheck.sh: no leak or invalid access outside the suppressions"
