#pragma once
/// \file
/// Named VM-image workloads: the I/O a virtual machine's disk sees, as
/// published benchmark practice describes it, run on one large image file
/// that is laid out in full first (as qemu-img's preallocation=full
/// allocates every block) and opened O_DIRECT, as QEMU opens an image with
/// cache=none. Each thread flushes the image every 5 seconds, as an ext4
/// guest commits its journal (ext4's default commit=5). Each names its
/// source; docs/vm-workloads.md says more.

#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>

#include "gfbench/case.hpp"
#include "gfbench/export.hpp"

namespace gfbench {

struct benchmark_matrix;

/// One named workload.
struct vm_workload {
  std::string_view name;         ///< e.g. "oltp-4k"
  std::string_view description;  ///< "4 KiB random, 70 % reads, queue depth 32"
  std::string_view source;       ///< where the profile comes from
  operation op = operation::random_rw;
  std::uint64_t block_size = 4096;
  unsigned read_percent = 70;
  unsigned queue_depth = 1;
  unsigned threads = 1;
};

/// Every named workload.
[[nodiscard]] GFBENCH_API std::span<const vm_workload> vm_workloads() noexcept;
/// The workload called `name`; null when there is none.
[[nodiscard]] GFBENCH_API const vm_workload* find_vm_workload(std::string_view name) noexcept;

/// What a VM workload runs unless told otherwise: a 1 GiB image, 30 s
/// passes after a 5 s ramp-up, a flush every 5 s.
inline constexpr std::uint64_t vm_image_default_size = std::uint64_t{1} << 30;
inline constexpr std::chrono::milliseconds vm_default_runtime{30'000};
inline constexpr std::chrono::milliseconds vm_default_ramp_up{5'000};
inline constexpr std::chrono::milliseconds vm_flush_interval{5'000};

/// Sets `matrix` to run `w`: its operation, block size, read share, queue
/// depth and threads, O_DIRECT, the flush interval, the cases named after
/// the workload; file sizes, runtime and ramp-up are left as they are.
GFBENCH_API void apply_vm_workload(const vm_workload& w, benchmark_matrix& matrix);

}  // namespace gfbench
