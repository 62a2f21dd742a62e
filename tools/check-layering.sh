#!/usr/bin/env bash
# Checks that every include follows the rooms of docs/design.md:
#
#   - a file under lib/ROOM includes only private headers of its own room
#     or of a room it may use, and only public headers (include/gfbench/)
#     of those rooms;
#   - a public header includes only public headers, of its room or below;
#   - nothing under lib/ or include/ includes a header of tools/ (the
#     program's code, which is not part of the library).
#
# The rooms, each with the rooms below it that it may use:
#   util     -                         (no other part of gfbench)
#   client   util                      (libgfapi: connection, volume, file)
#   targets  client util               (gfapi and POSIX targets, scratch areas)
#   sandbox  client util               (a private Gluster cluster)
#   bench    targets client util       (case vocabulary, kernels, registration)
# Public headers belong to rooms too (base: shared by all of them), and a
# public header may include the public headers of the rooms its room uses;
# the umbrella gfbench.hpp includes them all.
#
# Usage: bash tools/check-layering.sh   (exit 1 and one line per violation)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

uses() {  # the rooms a room may include from, itself first
  case "$1" in
    base) echo "base" ;;
    util) echo "base util" ;;
    client) echo "base client util" ;;
    targets) echo "base targets client util" ;;
    sandbox) echo "base sandbox client util" ;;
    bench) echo "base bench targets client util" ;;
    *) echo "" ;;
  esac
}

public_room() {  # the room of a public header, by file name
  case "$1" in
    export.hpp | error.hpp | fs_types.hpp | units.hpp | volume_options.hpp) echo base ;;
    io_queue.hpp) echo base ;;
    volume.hpp | file.hpp | client_graph.hpp) echo client ;;
    target.hpp | target_wrapper.hpp | scratch.hpp) echo targets ;;
    sandbox.hpp) echo sandbox ;;
    case.hpp | kernels.hpp | observer.hpp | recorder.hpp | suite.hpp | watchdog.hpp | stop.hpp)
      echo bench ;;
    workloads.hpp | metadata.hpp) echo bench ;;
    gfbench.hpp) echo umbrella ;;
    *) echo unknown ;;
  esac
}

violations=0
report() {
  echo "layering: $1"
  violations=$((violations + 1))
}

tool_headers=$(cd tools && find . -name '*.hpp' -printf '%f\n' | sort -u)

# Every public header has a room.
for header in include/gfbench/*.hpp; do
  name=$(basename "$header")
  [ "$(public_room "$name")" != unknown ] ||
    report "$header has no room in tools/check-layering.sh (add it to public_room)"
done

check_file() {  # FILE ROOM ("public" for include/gfbench)
  local file=$1 room=$2 allowed included target_room
  if [ "$room" = public ]; then
    allowed=" $(uses "$(public_room "$(basename "$file")")") "
    [ "$(public_room "$(basename "$file")")" = umbrella ] && allowed=" base client targets sandbox bench "
  else
    allowed=" $(uses "$room") "
  fi
  while IFS= read -r included; do
    case "$included" in
      gfbench/*)
        target_room=$(public_room "${included#gfbench/}")
        [[ "$allowed" == *" $target_room "* ]] ||
          report "$file (room $room) includes $included (room $target_room)"
        ;;
      */*)
        target_room=${included%%/*}
        if [ "$room" = public ]; then
          report "$file is public but includes the private header $included"
        elif [ ! -f "lib/$included" ]; then
          report "$file includes $included, which is not a header of lib/"
        elif [[ "$allowed" != *" $target_room "* ]]; then
          report "$file (room $room) includes $included (room $target_room)"
        fi
        ;;
      *)
        if grep -qx "$included" <<<"$tool_headers" && [ ! -f "$(dirname "$file")/$included" ]; then
          report "$file includes $included, a header of the program (tools/)"
        elif [ "$room" = public ]; then
          report "$file is public but includes \"$included\""
        fi
        ;;
    esac
  done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
}

for file in include/gfbench/*.hpp; do
  check_file "$file" public
done
for dir in lib/*/; do
  room=$(basename "$dir")
  if [ -z "$(uses "$room")" ]; then
    report "lib/$room is not a room of tools/check-layering.sh (add it to uses)"
    continue
  fi
  while IFS= read -r file; do
    check_file "$file" "$room"
  done < <(find "$dir" -name '*.[ch]pp' | sort)
done
for file in lib/*.[ch]pp; do
  [ -e "$file" ] && report "$file lies in lib/ itself: put it in the room it belongs to"
done

if [ "$violations" -gt 0 ]; then
  echo "layering: $violations violation(s); see docs/design.md for what each room may include" >&2
  exit 1
fi
echo "layering: every include follows the rooms"
