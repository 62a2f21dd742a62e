#include "util/gluster_xml.hpp"

#include <cctype>
#include <utility>

namespace gfbench::detail {

std::optional<xml_found> find_element(std::string_view text, std::string_view tag,
                                      std::size_t from) {
  const std::string open = "<" + std::string(tag);
  while (true) {
    const std::size_t at = text.find(open, from);
    if (at == std::string_view::npos) return std::nullopt;
    const std::size_t after = at + open.size();
    if (after >= text.size()) return std::nullopt;
    const char next = text[after];
    if (next != '>' && next != '/' && std::isspace(static_cast<unsigned char>(next)) == 0) {
      from = after;  // a longer name: <brickName> when looking for <brick>
      continue;
    }
    const std::size_t gt = text.find('>', after);
    if (gt == std::string_view::npos) return std::nullopt;
    if (text[gt - 1] == '/') return xml_found{{}, gt + 1};  // <tag/>
    const std::string close = "</" + std::string(tag) + ">";
    const std::size_t end = text.find(close, gt + 1);
    if (end == std::string_view::npos) return std::nullopt;
    return xml_found{text.substr(gt + 1, end - gt - 1), end + close.size()};
  }
}

std::vector<std::string_view> find_elements(std::string_view text, std::string_view tag) {
  std::vector<std::string_view> found;
  std::size_t from = 0;
  while (auto e = find_element(text, tag, from)) {
    found.push_back(e->inner);
    from = e->end;
  }
  return found;
}

std::string xml_decode(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  static constexpr std::pair<std::string_view, char> entities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& [name, c] : entities) {
        if (s.substr(i, name.size()) == name) {
          out += c;
          i += name.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += s[i++];
  }
  return out;
}

std::optional<std::string> text_of(std::string_view within, std::string_view tag) {
  const auto e = find_element(within, tag);
  if (!e) return std::nullopt;
  return xml_decode(e->inner);
}

}  // namespace gfbench::detail
