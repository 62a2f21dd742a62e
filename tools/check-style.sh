#!/usr/bin/env bash
# The house rules, checked: every C++ file formatted by .clang-format, the
# chosen clang-tidy checks (.clang-tidy) clean over lib/ and tools/, every
# include following the rooms (check-layering.sh), and every path a
# comment or document names existing (check-paths.sh).
#
# Usage: bash tools/check-style.sh [BUILD_DIR]   (BUILD_DIR defaults to build/;
# it must have been configured, which writes compile_commands.json)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
cd "$root"

echo "== style: clang-format"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

echo "== style: layering"
bash tools/check-layering.sh

echo "== style: every path the tree names exists"
bash tools/check-paths.sh

echo "== style: clang-tidy (lib/ and tools/)"
[ -f "$build/compile_commands.json" ] ||
  { echo "check-style: $build/compile_commands.json is missing: configure first" >&2; exit 1; }
# GCC's own warning flags (-Wno-restrict) are unknown to clang: not a finding.
# clang-tidy counts the warnings it suppressed in system headers on stderr;
# only its findings are shown.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! git ls-files 'lib/*.cpp' 'tools/*.cpp' |
    xargs -P"$(nproc)" -n4 clang-tidy -p "$build" --quiet \
      --extra-arg=-Wno-unknown-warning-option >"$log" 2>&1; then
  grep -v 'warnings generated\.$' "$log" >&2
  echo "check-style: clang-tidy found the above" >&2
  exit 1
fi
echo "style: clean"
