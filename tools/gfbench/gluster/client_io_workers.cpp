#include "gluster/client_io_workers.hpp"

#include <fstream>
#include <string_view>
#include <system_error>

#include "gfbench/case.hpp"

namespace gfbench::app {

unsigned count_io_workers(const std::filesystem::path& task_dir) {
  constexpr std::string_view worker_name = "glfs_iotwr";
  unsigned workers = 0;
  std::error_code ec;
  // A thread that ends while the directory is read is skipped: its comm
  // cannot be opened, or reads empty.
  for (const auto& task : std::filesystem::directory_iterator(task_dir, ec)) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (std::getline(comm, name) && name.starts_with(worker_name)) ++workers;
  }
  return workers;
}

void io_workers_observer::before_case(const case_info& c) {
  at_start_.reset();
  if (labels_.contains(c.target_label)) at_start_ = count_io_workers();
}

void io_workers_observer::after_case(const case_info& /*c*/, benchmark::State& state) {
  if (at_start_) state.counters[client_io_workers_counter] = static_cast<double>(*at_start_);
  at_start_.reset();
}

}  // namespace gfbench::app
