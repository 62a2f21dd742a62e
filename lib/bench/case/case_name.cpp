#include "bench/case/case_name.hpp"

#include <array>
#include <utility>

#include "gfbench/units.hpp"

namespace gfbench::detail {
namespace {

// One field: its tag in the case's name ("size:"), its tag in the file's
// name ("qd" of "-qd32"), its value; an empty value leaves the field out.
struct field {
  std::string_view name_tag;
  std::string_view file_tag;
  std::string value;
};

// A distribution's name as a file name has it: no '/' or ':'.
std::string file_safe(std::string name) {
  for (char& c : name) {
    if (c == '/') c = '-';
    if (c == ':') c = '_';
  }
  return name;
}

std::array<field, 9> fields_of(const case_key& key) {
  const bool paced = key.queued && key.rate_iops > 0;
  return {{{"", "", key.op},
           {"size:", "", format_iec(key.file_size)},
           {"bs:", "", format_iec(key.block_size)},
           {"cache:", "", key.cache},
           {"qd:", "qd", key.queued ? std::to_string(key.queue_depth) : std::string()},
           {"threads:", "t", key.queued ? std::to_string(key.threads) : std::string()},
           {"rate:", "r", paced ? format_rate(key.rate_iops) : std::string()},
           {"", "", paced && key.poisson ? std::string("poisson") : std::string()},
           {"dist:", "d", key.queued ? key.distribution : std::string()}}};
}

}  // namespace

std::string case_name(std::string_view label, const case_key& key) {
  std::string name(label);
  for (const field& f : fields_of(key)) {
    if (!f.value.empty()) name += "/" + std::string(f.name_tag) + f.value;
  }
  return name;
}

std::string case_file_name(const case_key& key) {
  std::string name;
  for (const field& f : fields_of(key)) {
    if (f.value.empty()) continue;
    if (!name.empty()) name += "-";
    name += std::string(f.file_tag) + file_safe(f.value);
  }
  return name;
}

}  // namespace gfbench::detail
