#include "gfbench/client_graph.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "gfbench/units.hpp"
#include "util/text.hpp"

namespace gfbench {
namespace {

bool truthy(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return value == "on" || value == "yes" || value == "true" || value == "enable" || value == "1";
}

// A volfile size: plain bytes, or with a k/m/g unit (powers of 1024, as
// glusterfs reads them: gf_string2bytesize).
std::uint64_t volfile_bytes(std::string_view text, std::uint64_t fallback) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{}) return fallback;
  const std::string_view unit = text.substr(static_cast<std::size_t>(ptr - text.data()));
  if (unit.empty() || unit == "B" || unit == "b") return value;
  switch (std::tolower(static_cast<unsigned char>(unit.front()))) {
    case 'k':
      return value << 10;
    case 'm':
      return value << 20;
    case 'g':
      return value << 30;
    default:
      return fallback;
  }
}

}  // namespace

const translator* client_graph::find(std::string_view type) const noexcept {
  const auto it = std::find_if(translators.begin(), translators.end(),
                               [&](const translator& t) { return t.type == type; });
  return it == translators.end() ? nullptr : &*it;
}

std::optional<std::string> client_graph::option(std::string_view type, std::string_view key,
                                                std::string_view fallback) const {
  const translator* t = find(type);
  if (t == nullptr) return std::nullopt;
  const auto it = t->options.find(std::string(key));
  return it == t->options.end() ? std::string(fallback) : it->second;
}

client_graph parse_client_volfile(std::string_view volfile) {
  client_graph graph;
  std::optional<translator> current;
  std::size_t start = 0;
  while (start < volfile.size()) {
    const std::size_t end = std::min(volfile.find('\n', start), volfile.size());
    const std::string_view line = detail::trim(volfile.substr(start, end - start));
    start = end + 1;
    if (line.starts_with("volume ")) {
      current.emplace();
      current->name = std::string(detail::trim(line.substr(7)));
    } else if (line == "end-volume") {
      if (current) graph.translators.push_back(std::move(*current));
      current.reset();
    } else if (current && line.starts_with("type ")) {
      current->type = std::string(detail::trim(line.substr(5)));
    } else if (current && line.starts_with("option ")) {
      const std::string_view rest = detail::trim(line.substr(7));
      const std::size_t space = rest.find_first_of(" \t");
      const std::string_view key = rest.substr(0, space);
      const std::string_view value =
          space == std::string_view::npos ? std::string_view{} : detail::trim(rest.substr(space));
      current->options[std::string(key)] = std::string(value);
    } else if (current && line.starts_with("subvolumes ")) {
      std::string_view rest = detail::trim(line.substr(11));
      while (!rest.empty()) {
        const std::size_t space = rest.find_first_of(" \t");
        current->subvolumes.emplace_back(rest.substr(0, space));
        rest =
            space == std::string_view::npos ? std::string_view{} : detail::trim(rest.substr(space));
      }
    }
  }
  return graph;
}

client_tuning tuning_of(const client_graph& graph) {
  client_tuning t;
  // Defaults of glusterfs 10.3's translators for what the volfile leaves out.
  if (const auto v = graph.option("protocol/client", "event-threads", "2")) {
    int threads = 2;
    std::from_chars(v->data(), v->data() + v->size(), threads);
    t.event_threads = threads;
  }
  t.remote_dio =
      truthy(graph.option("protocol/client", "filter-O_DIRECT", "disable").value_or("off"));
  t.client_io_threads = graph.find("performance/io-threads") != nullptr;
  t.write_behind = graph.find("performance/write-behind") != nullptr;
  t.strict_o_direct =
      truthy(graph.option("performance/write-behind", "strict-O_DIRECT", "off").value_or("off"));
  t.read_ahead = graph.find("performance/read-ahead") != nullptr;
  t.io_cache = graph.find("performance/io-cache") != nullptr;
  t.quick_read = graph.find("performance/quick-read") != nullptr;
  t.quick_read_max_file_size = volfile_bytes(
      graph.option("performance/quick-read", "max-file-size", "65536").value_or("0"), 65536);
  t.open_behind = graph.find("performance/open-behind") != nullptr;
  t.md_cache = graph.find("performance/md-cache") != nullptr;
  // A translator switched to pass-through forwards every call untouched.
  for (const auto& [type, field] :
       std::initializer_list<std::pair<const char*, bool client_tuning::*>>{
           {"performance/io-threads", &client_tuning::client_io_threads},
           {"performance/write-behind", &client_tuning::write_behind},
           {"performance/read-ahead", &client_tuning::read_ahead},
           {"performance/io-cache", &client_tuning::io_cache},
           {"performance/quick-read", &client_tuning::quick_read},
           {"performance/open-behind", &client_tuning::open_behind},
           {"performance/md-cache", &client_tuning::md_cache}}) {
    if (truthy(graph.option(type, "pass-through", "false").value_or("false"))) t.*field = false;
  }
  if (t.quick_read && t.quick_read_max_file_size == 0) t.quick_read = false;
  return t;
}

std::string client_tuning::describe() const {
  const auto on = [](bool b) { return b ? "on" : "off"; };
  std::string s = "event-threads " + std::to_string(event_threads) + ", client-io-threads " +
                  on(client_io_threads) + ", write-behind " + on(write_behind);
  if (write_behind) s += std::string(" (strict-o-direct ") + on(strict_o_direct) + ")";
  s += std::string(", remote-dio ") + on(remote_dio) + ", read-ahead " + on(read_ahead) +
       ", io-cache " + on(io_cache) + ", quick-read " + on(quick_read);
  if (quick_read) s += " (" + format_iec(quick_read_max_file_size) + ")";
  s += std::string(", open-behind ") + on(open_behind) + ", md-cache " + on(md_cache);
  return s;
}

}  // namespace gfbench
