#!/usr/bin/env bash
# Checks gfbench as a package, the way a storage vendor uses it:
#
#   1. `cmake --install` into a temporary prefix: the headers, libgfbench.a,
#      the gfbench and gfbench-sandbox programs, the CMake package and
#      gfbench.pc are there (and nothing that is only for tests);
#   2. examples/ builds out of tree against that prefix with
#      find_package(gfbench CONFIG REQUIRED) and -Werror;
#   3. a small program builds and runs with `pkg-config --cflags --libs gfbench`;
#   4. a shared build (BUILD_SHARED_LIBS=ON) installs libgfbench.so with its
#      SOVERSION, exporting the public API and none of its insides; the
#      examples build against it and vendor_suite runs on it;
#   5. `cpack -G DEB` in the build directory makes the .deb; it installs with
#      apt-get, `gfbench --help` runs, and it is removed again;
#   6. the examples run: gfcopy and vendor_suite on a sandbox volume (through
#      gfbench-sandbox), vendor_functional_test with its own sandbox.
#
# Usage (as root, after building): bash tools/check-package.sh [BUILD_DIR]
# BUILD_DIR defaults to build/. Everything temporary goes under one mktemp
# directory that is removed at the end; the .deb stays in BUILD_DIR.
# GFBENCH_SKIP_SHARED=1 skips step 4 (a second build of the library).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
jobs=$(nproc)
step() { printf '\n== check-package: %s\n' "$*"; }
fail() { printf 'check-package: FAILED: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "run as root (installs a .deb, starts Gluster sandboxes)"
[ -x "$build/tools/gfbench" ] || fail "$build/tools/gfbench is missing: build first (tools/build.sh)"

work=$(mktemp -d /tmp/gfbench-check-package.XXXXXX)
deb_installed=0
cleanup() {
  local status=$?
  if [ "$deb_installed" = 1 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq gfbench >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

# --- 1. install into a prefix --------------------------------------------
step "install into a temporary prefix"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
lib=$(find "$prefix" \( -name 'libgfbench.a' -o -name 'libgfbench.so' \) -print -quit)
[ -n "$lib" ] || fail "no libgfbench.a or libgfbench.so under $prefix"
libdir=$(dirname "$lib")
for f in include/gfbench/gfbench.hpp include/gfbench/suite.hpp include/gfbench/export.hpp \
         bin/gfbench bin/gfbench-sandbox; do
  [ -e "$prefix/$f" ] || fail "$f was not installed"
done
for f in cmake/gfbench/gfbenchConfig.cmake cmake/gfbench/gfbenchConfigVersion.cmake \
         cmake/gfbench/gfbenchTargets.cmake cmake/gfbench/FindGlusterFSApi.cmake \
         pkgconfig/gfbench.pc; do
  [ -e "$libdir/$f" ] || fail "${libdir#"$prefix"/}/$f was not installed"
done
[ ! -e "$prefix/bin/gfbench-bare-pwrite" ] || fail "gfbench-bare-pwrite is a test helper, not for the package"
if grep -rq 'glusterfs/api/glfs.h' "$prefix/include"; then
  fail "an installed header includes glfs.h; public headers must not"
fi
echo "ok: $(find "$prefix" -type f | wc -l) files; library ${lib#"$prefix"/}"

# --- 2. examples against the installed CMake package ---------------------
step "examples out of tree: find_package(gfbench CONFIG REQUIRED), -Werror"
cmake -S "$root/examples" -B "$work/examples" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_FLAGS=-Werror -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/examples" -j"$jobs" >/dev/null
echo "ok: gfcopy, vendor_suite, vendor_functional_test built"

# --- 3. pkg-config consumer ----------------------------------------------
step "pkg-config consumer"
cat >"$work/consumer.cpp" <<'EOF'
#include <gfbench/gfbench.hpp>
#include <gfbench/units.hpp>
#include <cstdio>
int main(int argc, char**) {
  // Linked, not called: the program must link against libgfapi through gfbench.
  if (argc > 99) (void)gfbench::volume::connect({});
  std::puts(gfbench::format_iec(4096).c_str());
  return gfbench::parse_size("10MiB").bytes == 10u << 20 ? 0 : 1;
}
EOF
export PKG_CONFIG_PATH="$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
pc_flags=$(pkg-config --cflags --libs --static gfbench)
# shellcheck disable=SC2086 # the flags are words
c++ -std=c++20 -Werror -Wall "$work/consumer.cpp" -o "$work/consumer" $pc_flags
[ "$("$work/consumer")" = "4KiB" ] || fail "the pkg-config consumer printed the wrong thing"
echo "ok: c++ consumer.cpp \$(pkg-config --cflags --libs --static gfbench) builds and runs"

# --- 4. shared library ---------------------------------------------------
if [ "${GFBENCH_SKIP_SHARED:-0}" != 1 ]; then
  step "shared build: libgfbench.so with SOVERSION, exporting the public API only"
  # The program and the tests link the library's objects statically
  # (gfbench_internal, never installed); the .so is the vendors' library.
  cmake -S "$root" -B "$work/shared-build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON \
    -DGFBENCH_BUILD_TESTS=OFF -DGFBENCH_BUILD_EXAMPLES=OFF -DGFBENCH_WERROR=ON >/dev/null
  cmake --build "$work/shared-build" -j"$jobs" --target gfbench gfbench_tool gfbench-sandbox >/dev/null
  shared="$work/shared-prefix"
  cmake --install "$work/shared-build" --prefix "$shared" >/dev/null
  so=$(find "$shared" -name 'libgfbench.so' -print -quit)
  if [ -z "$so" ] || [ ! -L "$so" ]; then fail "no libgfbench.so symlink installed"; fi
  soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
  [ "$soname" = "libgfbench.so.0" ] || fail "SONAME is '$soname', expected libgfbench.so.0"
  [ -e "$(dirname "$so")/$soname" ] || fail "$soname is not installed"
  real=$(readlink -f "$so")
  # Only GFBENCH_API symbols are exported: nothing of the library's insides.
  exported=$(nm -DC --defined-only "$so" | grep -c ' T gfbench::' || true)
  insides=$(nm -DC --defined-only "$so" | grep -E ' [TWVDBR] gfbench::detail::' || true)
  [ -z "$insides" ] || fail "libgfbench.so exports internals: $insides"
  LD_LIBRARY_PATH="$(dirname "$so")" "$shared/bin/gfbench" --help >/dev/null ||
    fail "the shared build's gfbench --help failed"
  cmake -S "$root/examples" -B "$work/shared-examples" -DCMAKE_PREFIX_PATH="$shared" \
    -DCMAKE_CXX_FLAGS=-Werror >/dev/null
  cmake --build "$work/shared-examples" -j"$jobs" >/dev/null
  ldd "$work/shared-examples/vendor_suite" | grep -q 'libgfbench.so.0 =>' ||
    fail "the examples are not linked against libgfbench.so"
  # The vendor suite runs against the .so on a sandbox volume.
  # shellcheck disable=SC2016 # expanded by the inner sh, inside the sandbox
  LD_LIBRARY_PATH="$(dirname "$so")" "$build/tools/gfbench-sandbox" --quiet -- sh -c \
    '"$0" "$GFBENCH_SERVER" "$GFBENCH_VOLUME" --benchmark_format=csv >/dev/null' \
    "$work/shared-examples/vendor_suite" || fail "vendor_suite failed against libgfbench.so"
  echo "ok: $(basename "$real"), SONAME $soname, $exported exported gfbench:: functions and no" \
       "internals; the examples build and vendor_suite runs against it"
fi

# --- 5. the .deb ---------------------------------------------------------
step "cpack -G DEB, install, gfbench --help, remove"
(cd "$build" && cpack -G DEB >/dev/null)
debs=("$build"/gfbench_*.deb)
deb=${debs[-1]}  # one per version; the highest sorts last
[ -f "$deb" ] || fail "cpack made no gfbench_*.deb in $build"
contents=$(dpkg-deb --contents "$deb")  # not piped into grep -q: SIGPIPE under pipefail
for f in ./usr/bin/gfbench ./usr/bin/gfbench-sandbox ./usr/include/gfbench/gfbench.hpp \
         ./usr/lib/cmake/gfbench/gfbenchConfig.cmake ./usr/lib/pkgconfig/gfbench.pc; do
  grep -q " $f\$" <<<"$contents" || fail "the .deb has no ${f#.}"
done
if [ "$(dpkg-query -W -f='${Status}' gfbench 2>/dev/null || true)" = "install ok installed" ]; then
  echo "skipped: a gfbench package is installed already; not replacing it"
else
  deb_installed=1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null
  /usr/bin/gfbench --help >"$work/help.txt"  # not piped into head: SIGPIPE under pipefail
  head -n 1 "$work/help.txt"
  /usr/bin/gfbench-sandbox --help >/dev/null
  [ -f /usr/include/gfbench/gfbench.hpp ] || fail "the .deb did not install the headers"
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq gfbench >/dev/null
  deb_installed=0
  [ ! -e /usr/bin/gfbench ] || fail "/usr/bin/gfbench is still there after removing the package"
  echo "ok: $(basename "$deb") installs, runs and is removed"
fi

# --- 6. the examples, on real volumes ------------------------------------
sandbox="$build/tools/gfbench-sandbox"
step "gfcopy into a sandbox volume, read back through FUSE"
head -c $((3 * 1024 * 1024 + 17)) /dev/urandom >"$work/payload"
# The copy goes through libgfapi; cmp reads it back through the FUSE mount.
# shellcheck disable=SC2016 # expanded by the inner sh, inside the sandbox
"$sandbox" --quiet --fuse -- sh -c \
  '"$0" "$GFBENCH_SERVER" "$GFBENCH_VOLUME" "$1" /gfcopy-check && cmp "$1" "$GFBENCH_FUSE/gfcopy-check"' \
  "$work/examples/gfcopy" "$work/payload"
echo "ok: gfcopy's file reads back byte for byte"

step "vendor_suite on a sandbox volume"
# shellcheck disable=SC2016 # expanded by the inner sh, inside the sandbox
"$sandbox" --quiet -- sh -c '"$0" "$GFBENCH_SERVER" "$GFBENCH_VOLUME" --benchmark_format=csv' \
  "$work/examples/vendor_suite" >"$work/vendor_suite.csv"
cases=$(grep -c '^"' "$work/vendor_suite.csv" || true)
grep -q 'durable_append' "$work/vendor_suite.csv" || fail "vendor_suite did not run its custom kernel"
if grep -q ',true,' "$work/vendor_suite.csv"; then  # error_occurred column
  cat "$work/vendor_suite.csv" >&2
  fail "vendor_suite reported failed cases"
fi
echo "ok: vendor_suite ran $cases result rows, custom kernel included"

step "vendor_functional_test (starts its own two-node sandbox)"
"$work/examples/vendor_functional_test" --order decl
echo
echo "check-package: all checks passed"
