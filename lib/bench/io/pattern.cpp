#include "bench/io/pattern.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "util/mix.hpp"

namespace gfbench::detail {
namespace {

constexpr std::uint64_t min_period = 1u << 20;

// What every stamp of a file starts from ("gfbench1" mixed with the file).
constexpr std::uint64_t file_tag(std::uint64_t file_seed) noexcept {
  return mix(file_seed ^ 0x6766'6265'6e63'6831ULL);
}

// The second word of a stamp carries the generation and the period.
constexpr std::uint64_t stamp_meta(const content_id& id) noexcept {
  return std::uint64_t{id.generation} | ((id.period / sector_size) << 32);
}

}  // namespace

std::uint64_t file_seed(std::uint64_t run_seed, std::string_view file_name) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a over the name
  for (const char c : file_name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return mix(run_seed ^ h);
}

std::uint64_t period_for(std::uint64_t block_size) noexcept {
  const std::uint64_t unit = std::lcm(std::max<std::uint64_t>(block_size, 1), sector_size);
  return unit * ((min_period + unit - 1) / unit);
}

file_content::file_content(content_id id) : id_(id), base_(static_cast<std::size_t>(id.period)) {
  // The base: well-mixed words, different for every file and generation.
  const std::uint64_t seed = mix(id.file_seed ^ mix(0x6261'7365ULL + id.generation));
  auto bytes = base_.span();
  for (std::size_t i = 0; i < bytes.size(); i += 8) {
    const std::uint64_t word = mix(seed ^ mix(i / 8));
    std::memcpy(bytes.data() + i, &word, std::min<std::size_t>(8, bytes.size() - i));
  }
}

std::byte file_content::stamp_byte(std::uint64_t sector, std::size_t i) const noexcept {
  const std::uint64_t tag = file_tag(id_.file_seed);
  const std::uint64_t word = i < 8 ? tag ^ sector : mix(tag ^ sector) ^ stamp_meta(id_);
  return static_cast<std::byte>((word >> (8 * (i % 8))) & 0xff);
}

void file_content::stamp(std::byte* at, std::uint64_t sector) const noexcept {
  const std::uint64_t tag = file_tag(id_.file_seed);
  const std::uint64_t words[2] = {tag ^ sector, mix(tag ^ sector) ^ stamp_meta(id_)};
  std::memcpy(at, words, stamp_size);
}

std::span<const std::byte> file_content::record(std::uint64_t offset, std::size_t length) noexcept {
  std::byte* const start = base_.span().data() + offset % id_.period;
  const std::uint64_t end = offset + length;
  for (std::uint64_t sector = offset / sector_size; sector * sector_size < end; ++sector) {
    const std::uint64_t s = sector * sector_size;
    const std::uint64_t lo = std::max(s, offset);
    const std::uint64_t hi = std::min(s + stamp_size, end);
    if (lo >= hi) continue;
    if (lo == s && hi == s + stamp_size) {
      stamp(start + (s - offset), sector);
    } else {
      for (std::uint64_t x = lo; x < hi; ++x) start[x - offset] = stamp_byte(sector, x - s);
    }
  }
  return {start, length};
}

bool file_content::first_stamp_matches(std::span<const std::byte> got,
                                       std::uint64_t offset) const noexcept {
  const std::uint64_t s = (offset + sector_size - 1) / sector_size * sector_size;
  if (s + stamp_size > offset + got.size()) return true;
  std::byte want[stamp_size];
  stamp(want, s / sector_size);
  return std::memcmp(got.data() + (s - offset), want, stamp_size) == 0;
}

void file_content::fill(std::span<std::byte> out, std::uint64_t offset) const noexcept {
  const std::byte* const base = base_.span().data();
  std::size_t i = 0;
  while (i < out.size()) {
    const std::uint64_t x = offset + i;
    const std::uint64_t in_sector = x % sector_size;
    if (in_sector < stamp_size) {
      const std::size_t n = std::min<std::size_t>(stamp_size - in_sector, out.size() - i);
      for (std::size_t k = 0; k < n; ++k) out[i + k] = stamp_byte(x / sector_size, in_sector + k);
      i += n;
      continue;
    }
    const std::size_t n = std::min<std::size_t>(sector_size - in_sector, out.size() - i);
    std::memcpy(out.data() + i, base + x % id_.period, n);
    i += n;
  }
}

std::optional<std::uint64_t> file_content::find_mismatch(std::span<const std::byte> got,
                                                         std::uint64_t offset) const noexcept {
  const std::byte* const base = base_.span().data();
  std::size_t i = 0;
  while (i < got.size()) {
    const std::uint64_t x = offset + i;
    const std::uint64_t in_sector = x % sector_size;
    if (in_sector < stamp_size) {
      const std::size_t n = std::min<std::size_t>(stamp_size - in_sector, got.size() - i);
      for (std::size_t k = 0; k < n; ++k) {
        if (got[i + k] != stamp_byte(x / sector_size, in_sector + k)) return x + k;
      }
      i += n;
      continue;
    }
    const std::size_t n = std::min<std::size_t>(sector_size - in_sector, got.size() - i);
    const std::byte* want = base + x % id_.period;
    if (std::memcmp(got.data() + i, want, n) != 0) {
      for (std::size_t k = 0; k < n; ++k) {
        if (got[i + k] != want[k]) return x + k;
      }
    }
    i += n;
  }
  return std::nullopt;
}

std::optional<content_id> identify(std::span<const std::byte> stamp, std::uint64_t file_seed,
                                   std::uint64_t sector) noexcept {
  if (stamp.size() < stamp_size) return std::nullopt;
  std::uint64_t words[2];
  std::memcpy(words, stamp.data(), stamp_size);
  const std::uint64_t tag = file_tag(file_seed);
  if (words[0] != (tag ^ sector)) return std::nullopt;
  const std::uint64_t meta = words[1] ^ mix(tag ^ sector);
  content_id id{.file_seed = file_seed,
                .generation = static_cast<std::uint32_t>(meta & 0xffff'ffffULL),
                .period = (meta >> 32) * sector_size};
  // A period is at least 1 MiB; one beyond 64 GiB is not one gfbench writes.
  if (id.period < min_period || id.period % sector_size != 0 ||
      id.period > (std::uint64_t{1} << 36)) {
    return std::nullopt;
  }
  return id;
}

}  // namespace gfbench::detail
