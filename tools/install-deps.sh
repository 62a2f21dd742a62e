#!/usr/bin/env bash
# Installs the Debian 12 packages gfbench needs to build, test and run.
# Idempotent: does nothing when they are all there already.
set -euo pipefail

packages=(
  build-essential cmake pkg-config            # toolchain
  libglusterfs-dev libbenchmark-dev catch2 libspdlog-dev   # libraries
  libpugixml-dev nlohmann-json3-dev libcli11-dev           # gluster's XML, summary.json, flags
  liburing-dev                                # queue depth on FUSE mounts and local disks
  libmount-dev                                # the mount table (which directory is which mount)
  libopenmpi-dev openmpi-bin                  # many clients at once (mpirun)
  glusterfs-server glusterfs-client iproute2 util-linux    # the sandbox: glusterd, FUSE, ip netns, nsenter
  fio                                         # the peer gfbench is compared with
  gnuplot-nox                                 # report plots
  valgrind                                    # memcheck runs
  clang-format clang-tidy                     # the house style, checked in CI
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (apt-get needs it): as root, bash $0; otherwise sudo bash $0" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
