#include "run/malloc_arenas.hpp"

#include <malloc.h>
#include <unistd.h>

#include <cstdlib>

namespace gfbench::app {

int limit_malloc_arenas() {
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr) return 0;
  const long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  const int arenas = 2 * (cpus > 0 ? static_cast<int>(cpus) : 1);
  return ::mallopt(M_ARENA_MAX, arenas) == 1 ? arenas : 0;
}

}  // namespace gfbench::app
