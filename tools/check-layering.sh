#!/usr/bin/env bash
# Checks that every include follows the rooms of docs/design.md:
#
#   - a file of the library (lib/ROOM, lib/bench/SUBROOM) includes only
#     private headers of its own room or of a room it may use, and only
#     public headers (include/gfbench/) of those rooms;
#   - a public header includes only public headers, of its room or below;
#   - a file of the program (tools/gfbench/ROOM) includes headers of the
#     program's rooms it may use, by room ("cli/cli.hpp"), the public
#     headers, and of the library's insides only util/;
#   - nothing under lib/ or include/ includes a header of the program;
#   - no two headers include each other, directly or through others.
#
# The rooms, each with the rooms it may use (itself first). A room may
# only use rooms listed before it, so no circle between rooms is possible.
#   util          -                  (no other part of gfbench)
#   client        util               (libgfapi: connection, volume, file)
#   targets       client util        (gfapi and POSIX targets, scratch areas)
#   sandbox       client util        (a private Gluster cluster)
#   bench/case    util               (the case vocabulary, names, workloads)
#   bench/record  bench/case util    (timing passes, latency, observers)
#   bench/watch   bench/case util    (the watchdog, brick health, stop requests)
#   bench/io      + record watch targets client (the data kernels)
#   bench/meta    + record watch targets client (the metadata phases)
#   bench         every bench room   (registration: suite.cpp)
#   app/common    -                  (the program's logger, tables, counter names)
#   app/gluster   app/common         (the gluster CLI, brick and client counters,
#                                     mounts, Proxmox's storage.cfg)
#   app/cli       app/gluster app/common (flags, help)
#   app/results   app/common         (statistics, tables, reports)
#   app/group     app/results app/gluster app/common (many clients)
#   app/run       every app room but the top (one run, from set-up to tear-down)
#   app           every app room     (main.cpp)
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
    bench/case) echo "base bench/case util" ;;
    bench/record) echo "base bench/record bench/case util" ;;
    bench/watch) echo "base bench/watch bench/case util" ;;
    bench/io | bench/meta)
      echo "base $1 bench/record bench/watch bench/case targets client util" ;;
    bench) echo "base bench bench/io bench/meta bench/record bench/watch bench/case targets client util" ;;
    app/common) echo "app/common" ;;
    app/cli) echo "app/cli app/gluster app/common" ;;
    app/gluster) echo "app/gluster app/common" ;;
    app/results) echo "app/results app/common" ;;
    app/group) echo "app/group app/results app/gluster app/common" ;;
    app/run) echo "app/run app/group app/results app/gluster app/cli app/common" ;;
    app) echo "app app/run app/group app/results app/gluster app/cli app/common" ;;
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
    workloads.hpp | metadata.hpp | timeline.hpp | distribution.hpp) echo bench ;;
    gfbench.hpp) echo umbrella ;;
    *) echo unknown ;;
  esac
}

# The public headers a file of `room` may include: those of the rooms it
# uses; every bench room sees the bench headers; the program sees them all.
public_rooms_of() {
  case "$1" in
    app*) echo "base client targets sandbox bench umbrella" ;;
    bench*) echo "base bench targets client util" ;;
    *) uses "$1" ;;
  esac
}

violations=0
report() {
  echo "layering: $1"
  violations=$((violations + 1))
}

# The room of a private header path as included ("bench/io/pattern.hpp",
# "client/file.hpp"), or of a header of the program ("cli/cli.hpp").
lib_room_of() {
  local path=$1
  case "$path" in
    bench/*/*) echo "${path%/*}" ;;
    *) echo "${path%%/*}" ;;
  esac
}

edges=$(mktemp)
trap 'rm -f "$edges"' EXIT

check_file() {  # FILE ROOM ("public" for include/gfbench)
  local file=$1 room=$2 allowed public_allowed included target_room
  if [ "$room" = public ]; then
    allowed=" $(uses "$(public_room "$(basename "$file")")") "
    [ "$(public_room "$(basename "$file")")" = umbrella ] && allowed=" base client targets sandbox bench "
    public_allowed=$allowed
  else
    allowed=" $(uses "$room") "
    public_allowed=" $(public_rooms_of "$room") "
  fi
  while IFS= read -r included; do
    case "$included" in
      gfbench/*)
        target_room=$(public_room "${included#gfbench/}")
        [[ "$public_allowed" == *" $target_room "* ]] ||
          report "$file (room $room) includes $included (room $target_room)"
        echo "$file include/$included" >>"$edges"
        ;;
      */*)
        if [ "$room" = public ]; then
          report "$file is public but includes the private header $included"
        elif [[ "$room" == app* ]] && [ -f "tools/gfbench/$included" ]; then
          target_room="app/${included%%/*}"
          [[ "$allowed" == *" $target_room "* ]] ||
            report "$file (room $room) includes $included (room $target_room)"
          echo "$file tools/gfbench/$included" >>"$edges"
        elif [ -f "lib/$included" ]; then
          target_room=$(lib_room_of "$included")
          if [[ "$room" == app* ]]; then
            [ "$target_room" = util ] ||
              report "$file (room $room) includes $included: the program uses the library's public headers and util/ only"
          elif [[ "$allowed" != *" $target_room "* ]]; then
            report "$file (room $room) includes $included (room $target_room)"
          fi
          echo "$file lib/$included" >>"$edges"
        else
          report "$file includes $included, which is no header of lib/ or of the program"
        fi
        ;;
      *)
        if [ "$room" = public ]; then
          report "$file is public but includes \"$included\""
        else
          report "$file includes \"$included\": include headers by their room (e.g. \"cli/cli.hpp\", \"bench/io/pattern.hpp\")"
        fi
        ;;
    esac
  done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
}

# Every public header has a room.
for header in include/gfbench/*.hpp; do
  name=$(basename "$header")
  [ "$(public_room "$name")" != unknown ] ||
    report "$header has no room in tools/check-layering.sh (add it to public_room)"
done

for file in include/gfbench/*.hpp; do
  check_file "$file" public
done
while IFS= read -r file; do
  dir=$(dirname "${file#lib/}")
  room=$dir
  [[ "$dir" == bench/*/* ]] && room=$(lib_room_of "$dir/x")
  if [ -z "$(uses "$room")" ]; then
    report "$file lies in lib/$dir, which is not a room of tools/check-layering.sh (add it to uses)"
    continue
  fi
  check_file "$file" "$room"
done < <(find lib -mindepth 2 -name '*.[ch]pp' | sort)
for file in lib/*.[ch]pp; do
  [ -e "$file" ] && report "$file lies in lib/ itself: put it in the room it belongs to"
done
while IFS= read -r file; do
  rel=${file#tools/gfbench/}
  if [ "$rel" = "${rel#*/}" ]; then
    room=app
  else
    room="app/${rel%%/*}"
  fi
  if [ -z "$(uses "$room")" ]; then
    report "$file lies in a folder that is not a room of tools/check-layering.sh (add it to uses)"
    continue
  fi
  check_file "$file" "$room"
done < <(find tools/gfbench -name '*.[ch]pp' | sort)

# No circle of headers: tsort fails on a loop and names its members.
if ! loops=$(grep '\.hpp$' "$edges" | awk '$1 ~ /\.hpp$/' | tsort 2>&1 >/dev/null); then
  report "headers include each other in a circle: ${loops//$'\n'/ }"
fi

if [ "$violations" -gt 0 ]; then
  echo "layering: $violations violation(s); see docs/design.md for what each room may include" >&2
  exit 1
fi
echo "layering: every include follows the rooms"
