#include "common/counter_names.hpp"

#include <cctype>

namespace gfbench::app {

std::string fop_counter_name(std::string_view prefix, std::string_view fop,
                             std::string_view suffix) {
  std::string name(prefix);
  for (const char c : fop) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  name += suffix;
  return name;
}

}  // namespace gfbench::app
