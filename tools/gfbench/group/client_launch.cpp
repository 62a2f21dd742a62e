// Whether gfbench was started by mpirun, and joining its group when it was
// built without MPI (there is none to join).

#include <cstdlib>

#include "group/client_group.hpp"

namespace gfbench::app {

bool launched_by_mpirun() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (std::getenv(variable) != nullptr) return true;
  }
  return false;
}

#ifndef GFBENCH_WITH_MPI
std::unique_ptr<client_group> join_client_group(int* /*argc*/, char*** /*argv*/) { return nullptr; }
#endif

}  // namespace gfbench::app
