#include "client/gfapi_seam.hpp"

namespace gfbench::detail {

gfapi_seam& seam() noexcept {
  static gfapi_seam table;
  return table;
}

}  // namespace gfbench::detail
