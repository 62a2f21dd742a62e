#pragma once
// Just enough XML for the gluster CLI's --xml output: elements found by tag
// name (with or without attributes, or self-closing), never nested in an
// element of the same name, text with the five predefined entities. The
// CLI's XML is flat and regular enough that this needs no XML library.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gfbench::detail {

struct xml_found {
  std::string_view inner;  ///< between the tags; empty for <tag/>
  std::size_t end = 0;     ///< just past the element
};

/// The first <tag> (or <tag attr...>, <tag/>) in `text` at or after `from`;
/// <tagLonger> does not count.
std::optional<xml_found> find_element(std::string_view text, std::string_view tag,
                                      std::size_t from = 0);

/// The inner text of every <tag> in `text`, in order.
std::vector<std::string_view> find_elements(std::string_view text, std::string_view tag);

/// Element text: surrounding white space removed, entities decoded.
std::string xml_decode(std::string_view s);

/// The decoded text of the first <tag> in `within`; nullopt when there is none.
std::optional<std::string> text_of(std::string_view within, std::string_view tag);

}  // namespace gfbench::detail
