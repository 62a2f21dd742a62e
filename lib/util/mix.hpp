#pragma once
// splitmix64: a fast, well-mixed bijection of 64-bit words, the source of
// the pattern's words and of random record orders.

#include <cstdint>

namespace gfbench::detail {

constexpr std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace gfbench::detail
