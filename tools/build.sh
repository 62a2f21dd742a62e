#!/usr/bin/env bash
# Configures and builds gfbench into build/ (Release, warnings as errors
# when CI=true). Used by run.sh and test.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${GFBENCH_BUILD_DIR:-$root/build}
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DGFBENCH_WERROR=$werror "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
