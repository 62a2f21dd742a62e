#!/usr/bin/env bash
# Checks that every path into this repository that a comment, a script or
# a document names exists, so that no text sends a reader to a file that
# moved or went:
#
#   - a path from the top of the tree (lib/..., tools/..., include/gfbench/...,
#     tests/..., docs/..., cmake/..., examples/..., .ci/...) must exist; a
#     glob in a comment or document (lib/bench/io/*) must match something;
#   - a bare file name (suite.cpp, check-layering.sh, design.md) must be the
#     name of a file somewhere in the tree.
#
# Not checked: paths of other projects (glusterfs's rpc/rpc-lib/src/rpc-clnt.c,
# QEMU's block/gluster.c: their prefixes are not this tree's), placeholders
# written in capitals (lib/ROOM), the installed package's layout
# (lib/cmake/gfbench, lib/pkgconfig, cmake/gfbench/ under a prefix), globs
# in shell code (they may rightly match nothing), and the few names below
# that belong to others or that a script writes.
#
# Usage: bash tools/check-paths.sh   (exit 1 and one line per missing path)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

not_ours=" pugixml.hpp consumer.cpp "

missing=0
say() {
  echo "paths: $1"
  missing=$((missing + 1))
}

names=$(git ls-files --cached --others --exclude-standard | xargs -n1 basename | sort -u)
files=$(git ls-files --cached --others --exclude-standard | grep -v '^tests/data/')

# Paths from the top of the tree.
while IFS=: read -r file line token; do
  path=${token#?}
  [[ "$token" =~ ^[A-Za-z0-9_.] ]] && path=$token
  case "$path" in
    lib/cmake | lib/cmake/* | lib/pkgconfig | lib/pkgconfig/* | cmake/gfbench | cmake/gfbench/*) continue ;;
  esac
  # A placeholder: a component in capitals (ROOM, SUBROOM, DIR).
  [[ "/$path/" =~ /[A-Z][A-Z_]+/ ]] && continue
  if [[ "$path" == *'*'* ]]; then
    [[ "$file" == *.sh ]] && continue
    compgen -G "$path" >/dev/null || say "$file:$line names $path, which matches nothing"
  elif [ ! -e "$path" ]; then
    say "$file:$line names $path, which does not exist"
  fi
done < <(grep -noE '(^|[^A-Za-z0-9_./$}-])(lib|tools|include/gfbench|tests|docs|cmake|examples|\.ci)/[A-Za-z0-9_.*/-]*[A-Za-z0-9_*]' $files 2>/dev/null || true)

# Bare file names.
while IFS=: read -r file line token; do
  name=${token#?}
  [[ "$token" =~ ^[A-Za-z0-9_] ]] && name=$token
  [[ "$not_ours" == *" $name "* ]] && continue
  grep -qxF "$name" <<<"$names" || say "$file:$line names $name, which is no file of this tree"
done < <(grep -noE '(^|[^A-Za-z0-9_./-])[A-Za-z0-9_-]+\.(cpp|hpp|sh|md)\b' $files 2>/dev/null || true)

if [ "$missing" -gt 0 ]; then
  echo "paths: $missing name(s) of files that are not there; mend the text or the path" >&2
  exit 1
fi
echo "paths: every path the tree names exists"
