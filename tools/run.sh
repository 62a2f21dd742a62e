#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs gfbench with the
# given flags. With no --volume, gfbench starts a throwaway Gluster volume
# on this machine, FUSE-mounts it, runs the seed study's matrix (write,
# rewrite, read on 1, 10 and 100 MiB files, 5 repetitions) through libgfapi
# and FUSE side by side, prints the table and removes everything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/tools/install-deps.sh"
bash "$root/tools/build.sh" >/dev/null
exec "${GFBENCH_BUILD_DIR:-$root/build}/tools/gfbench" "$@"
