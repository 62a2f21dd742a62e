// The named VM workloads (gfbench/workloads.hpp) and their sources.

#include "gfbench/workloads.hpp"

#include <array>

#include "gfbench/suite.hpp"

namespace gfbench {
namespace {

constexpr std::array<vm_workload, 5> workloads{{
    {.name = "oltp-4k",
     .description = "4 KiB random, 70 % reads, queue depth 32",
     .source = "Dell VxRail performance analysis (vdbench OLTP 4K: 100 % random, 70/30 "
               "read/write); depth 32 as VMware HCIBench gives each disk (vSAN ESA)",
     .op = operation::random_rw,
     .block_size = 4096,
     .read_percent = 70,
     .queue_depth = 32,
     .threads = 1},
    {.name = "sql-oltp-8k",
     .description = "8 KiB random, 70 % reads, 4 threads x queue depth 32",
     .source = "Microsoft VMFleet, SQL profile's OLTP target (-t4 -o32 -r -b8k -w30)",
     .op = operation::random_rw,
     .block_size = 8192,
     .read_percent = 70,
     .queue_depth = 32,
     .threads = 4},
    {.name = "peak-read-4k",
     .description = "4 KiB random reads, queue depth 32",
     .source = "Microsoft VMFleet Peak4kRead (-t1 -o32 -b4k -w0 -r); CrystalDiskMark RND4K Q32T1",
     .op = operation::random_read,
     .block_size = 4096,
     .read_percent = 100,
     .queue_depth = 32,
     .threads = 1},
    {.name = "seq-read-1m",
     .description = "1 MiB sequential reads, queue depth 8",
     .source = "CrystalDiskMark SEQ1M Q8T1",
     .op = operation::read,
     .block_size = 1u << 20,
     .read_percent = 100,
     .queue_depth = 8,
     .threads = 1},
    {.name = "seq-write-64k",
     .description = "64 KiB sequential writes, 8 threads",
     .source = "gluster-performance-test-suite's fio sequential write job (64 KiB, 8 jobs)",
     .op = operation::rewrite,
     .block_size = 64u << 10,
     .read_percent = 0,
     .queue_depth = 1,
     .threads = 8},
}};

}  // namespace

std::span<const vm_workload> vm_workloads() noexcept { return workloads; }

const vm_workload* find_vm_workload(std::string_view name) noexcept {
  for (const vm_workload& w : workloads) {
    if (w.name == name) return &w;
  }
  return nullptr;
}

void apply_vm_workload(const vm_workload& w, benchmark_matrix& matrix) {
  matrix.operations = {w.op};
  matrix.block_sizes = {w.block_size};
  matrix.queue_depths = {w.queue_depth};
  matrix.thread_counts = {w.threads};
  matrix.read_cache_modes = {cache_mode::warm};
  matrix.workload = std::string(w.name);
  matrix.options.queued = true;
  matrix.options.read_percent = w.read_percent;
  matrix.options.direct = true;
  matrix.options.flush_interval = vm_flush_interval;
}

}  // namespace gfbench
