#!/usr/bin/env bash
# The whole test suite, on a fresh Debian 12 machine as root: installs what
# is missing, builds with warnings as errors, checks the house style
# (formatting, the rooms' layering, clang-tidy), checks the installed package
# and the examples, runs every test (ctest) against real Gluster volumes
# that the tests start themselves, checks short runs under valgrind's
# memcheck, then runs the tests all again under AddressSanitizer and
# UndefinedBehaviorSanitizer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
step() { printf '\n== %s\n' "$*"; }

step "packages"
bash "$root/tools/install-deps.sh"

step "build (Release, -Werror)"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DGFBENCH_WERROR=ON >/dev/null
cmake --build "$root/build" -j"$jobs"

step "style: clang-format, layering, clang-tidy"
bash "$root/tools/check-style.sh" "$root/build"

if [ -f "$root/tools/check-package.sh" ]; then
  step "install, package and examples"
  bash "$root/tools/check-package.sh" "$root/build"
fi

step "tests"
(cd "$root/build" && ctest --output-on-failure -j2)

step "valgrind memcheck of short runs (tests/valgrind.supp)"
bash "$root/tools/memcheck.sh" "$root/build"

step "tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S "$root" -B "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DGFBENCH_WERROR=ON \
  -DGFBENCH_SANITIZE=address,undefined -DGFBENCH_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$root/build-asan" -j"$jobs"
(cd "$root/build-asan" && ctest --output-on-failure -j2)
