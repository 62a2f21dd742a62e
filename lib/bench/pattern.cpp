#include "bench/pattern.hpp"

#include <cstring>

namespace gfbench::detail {
namespace {

// splitmix64: a fast, well-mixed bijection, so every word differs.
constexpr std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t word_at(std::uint64_t seed, std::uint64_t word_index) noexcept {
  return mix(seed ^ mix(word_index));
}

}  // namespace

std::uint64_t file_seed(std::uint64_t run_seed, std::string_view file_name) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a over the name
  for (const char c : file_name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return mix(run_seed ^ h);
}

void fill_pattern(std::span<std::byte> buffer, std::uint64_t seed, std::uint64_t offset) noexcept {
  std::size_t i = 0;
  while (i < buffer.size()) {
    const std::uint64_t at = offset + i;
    const std::uint64_t word = word_at(seed, at / 8);
    const std::size_t skip = at % 8;
    const std::size_t n = std::min<std::size_t>(8 - skip, buffer.size() - i);
    std::memcpy(buffer.data() + i, reinterpret_cast<const std::byte*>(&word) + skip, n);
    i += n;
  }
}

std::optional<std::uint64_t> find_mismatch(std::span<const std::byte> buffer, std::uint64_t seed,
                                           std::uint64_t offset) noexcept {
  std::size_t i = 0;
  while (i < buffer.size()) {
    const std::uint64_t at = offset + i;
    const std::uint64_t word = word_at(seed, at / 8);
    const std::size_t skip = at % 8;
    const std::size_t n = std::min<std::size_t>(8 - skip, buffer.size() - i);
    const auto* expected = reinterpret_cast<const std::byte*>(&word) + skip;
    if (std::memcmp(buffer.data() + i, expected, n) != 0) {
      for (std::size_t k = 0; k < n; ++k) {
        if (buffer[i + k] != expected[k]) return at + k;
      }
    }
    i += n;
  }
  return std::nullopt;
}

}  // namespace gfbench::detail
