// The data gfbench writes (bench/pattern.hpp) and the order its passes visit
// records in (bench/record_order.hpp): every byte can be checked on its own
// and names its offset when wrong, no two sectors or passes carry the same
// bytes, a file says which content it holds, and a random order visits
// every record exactly once.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <set>
#include <vector>

#include "bench/io/pattern.hpp"
#include "bench/io/record_order.hpp"
#include "gfbench/case.hpp"

using gfbench::detail::content_id;
using gfbench::detail::file_content;
using gfbench::detail::period_for;
using gfbench::detail::record_order;
using gfbench::detail::sector_size;
using gfbench::detail::stamp_size;

namespace {

constexpr std::uint64_t KiB = 1024;
constexpr std::uint64_t MiB = 1024 * KiB;
constexpr std::uint64_t default_seed = gfbench::io_shape{}.seed;

content_id id_of(const char* name, std::uint32_t generation = 0, std::uint64_t block = 4 * KiB) {
  return {.file_seed = gfbench::detail::file_seed(default_seed, name),
          .generation = generation,
          .period = period_for(block)};
}

std::vector<std::byte> bytes_of(const file_content& c, std::uint64_t offset, std::size_t n) {
  std::vector<std::byte> out(n);
  c.fill(out, offset);
  return out;
}

}  // namespace

TEST_CASE("the period holds whole blocks and sectors, at least 1 MiB", "[unit]") {
  CHECK(period_for(4 * KiB) == 1 * MiB);
  CHECK(period_for(1 * MiB) == 1 * MiB);
  CHECK(period_for(64 * MiB) == 64 * MiB);
  CHECK(period_for(3 * MiB) == 3 * MiB);
  CHECK(period_for(1000) == 64000 * 17);  // lcm(1000, 512) = 64000, times 17 >= 1 MiB
  for (const std::uint64_t block : {1ull, 7ull, 1000ull, 4096ull, 12345ull, 5ull * MiB}) {
    const auto p = period_for(block);
    INFO("block " << block);
    CHECK(p >= 1 * MiB);
    CHECK(p % block == 0);
    CHECK(p % sector_size == 0);
  }
}

TEST_CASE("content is the same however the file is cut, and a record is its slice", "[unit]") {
  file_content c(id_of("write-1MiB-4KiB", 3));
  // Past one period, so the base repeats under different stamps.
  const auto whole = bytes_of(c, 0, 2 * MiB + 1000);
  for (const std::uint64_t offset : {0ull, 1ull, 15ull, 16ull, 511ull, 512ull, 4095ull,
                                     1ull * MiB - 3, 1ull * MiB, 2ull * MiB - 7}) {
    for (const std::size_t length : {1, 3, 16, 17, 512, 4096}) {
      if (offset + length > whole.size()) continue;
      INFO("offset " << offset << " length " << length);
      const auto piece = bytes_of(c, offset, length);
      CHECK(std::equal(piece.begin(), piece.end(),
                       whole.begin() + static_cast<std::ptrdiff_t>(offset)));
      CHECK_FALSE(c.find_mismatch(piece, offset));
    }
  }
  // What a writer writes (the base stamped in place) is the same bytes,
  // record after record, whatever was stamped into that place before.
  for (const std::uint64_t offset : {0ull, 4096ull, 1ull * MiB, 1ull * MiB + 4096, 0ull}) {
    const auto record = c.record(offset, 4096);
    INFO("record at " << offset);
    CHECK(std::equal(record.begin(), record.end(),
                     whole.begin() + static_cast<std::ptrdiff_t>(offset)));
  }
}

TEST_CASE("no two sectors, files or generations carry the same bytes", "[unit]") {
  const file_content a(id_of("f", 0));
  const file_content next(id_of("f", 1));
  const file_content other(id_of("g", 0));
  std::set<std::vector<std::byte>> sectors;
  // Two periods: the base repeats, the stamps do not.
  for (std::uint64_t s = 0; s < 2 * MiB; s += sector_size) {
    sectors.insert(bytes_of(a, s, sector_size));
  }
  CHECK(sectors.size() == 2 * MiB / sector_size);
  for (const std::uint64_t s : {0ull, 512ull, 1ull * MiB + 512}) {
    INFO("sector at " << s);
    const auto here = bytes_of(a, s, sector_size);
    CHECK(bytes_of(next, s, sector_size) != here);
    CHECK(bytes_of(other, s, sector_size) != here);
    // Different in the stamp and in the base, not only in one of them.
    CHECK(std::memcmp(bytes_of(next, s, sector_size).data() + stamp_size, here.data() + stamp_size,
                      sector_size - stamp_size) != 0);
  }
  // Incompressible: within a block no 8-byte word of the base repeats.
  const auto block = bytes_of(a, 0, 4096);
  std::set<std::uint64_t> words;
  for (std::size_t i = 0; i + 8 <= block.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, block.data() + i, 8);
    words.insert(w);
  }
  CHECK(words.size() == 512);
}

TEST_CASE("find_mismatch names the first wrong byte's file offset", "[unit]") {
  const file_content c(id_of("f", 2));
  const std::uint64_t base = GENERATE(as<std::uint64_t>{}, 0, 5, 1 << 20);
  auto data = bytes_of(c, base, 8 * KiB);
  REQUIRE_FALSE(c.find_mismatch(data, base));
  for (const std::size_t at : {0, 1, 7, 8, 15, 16, 4097, 8191}) {
    auto bad = data;
    bad[at] ^= std::byte{0x01};
    bad[std::min<std::size_t>(at + 9, bad.size() - 1)] ^= std::byte{0x80};  // a later one too
    const auto found = c.find_mismatch(bad, base);
    REQUIRE(found);
    CHECK(*found == base + at);
  }
  // The right bytes at the wrong offset are wrong.
  const auto shifted = c.find_mismatch(data, base + 512);
  REQUIRE(shifted);
  CHECK(*shifted < base + 512 + stamp_size);  // the stamp says so at once
  // So are another generation's and another file's bytes.
  CHECK(file_content(id_of("f", 1)).find_mismatch(data, base));
  CHECK(file_content(id_of("g", 2)).find_mismatch(data, base));
}

TEST_CASE("a file's stamps say whose content it is, which generation and period", "[unit]") {
  const auto id = id_of("kept-file", 7, 64 * KiB);
  const file_content c(id);
  for (const std::uint64_t sector : {0ull, 1ull, 2047ull, 2048ull, 100000ull}) {
    INFO("sector " << sector);
    const auto stamp = bytes_of(c, sector * sector_size, stamp_size);
    const auto found = gfbench::detail::identify(stamp, id.file_seed, sector);
    REQUIRE(found);
    CHECK(*found == id);
    // Read at another sector, or as another file's, it is nobody's.
    CHECK_FALSE(gfbench::detail::identify(stamp, id.file_seed, sector + 1));
    CHECK_FALSE(gfbench::detail::identify(stamp, id.file_seed + 1, sector));
  }
  std::vector<std::byte> noise(stamp_size);
  std::mt19937_64 gen(1);
  for (auto& b : noise) b = static_cast<std::byte>(gen());
  CHECK_FALSE(gfbench::detail::identify(noise, id.file_seed));
  CHECK_FALSE(gfbench::detail::identify(std::span(noise).first(8), id.file_seed));
  // The first stamp check of a record, as the read kernels make it.
  auto record = bytes_of(c, 64 * KiB, 4096);
  CHECK(c.first_stamp_matches(record, 64 * KiB));
  CHECK_FALSE(c.first_stamp_matches(record, 128 * KiB));
  record[3] ^= std::byte{1};
  CHECK_FALSE(c.first_stamp_matches(record, 64 * KiB));
}

TEST_CASE("a random record order visits every record exactly once", "[unit]") {
  for (const std::uint64_t records :
       {1ull, 2ull, 3ull, 4ull, 5ull, 63ull, 64ull, 1000ull, 65537ull}) {
    INFO(records << " records");
    const record_order sequential(records, 4096, false, 1);
    const record_order random(records, 4096, true, 1);
    std::vector<std::uint64_t> seq, rnd;
    for (std::uint64_t i = 0; i < records; ++i) {
      seq.push_back(sequential.offset(i));
      rnd.push_back(random.offset(i));
    }
    for (std::uint64_t i = 0; i < records; ++i) CHECK(seq[i] == i * 4096);
    auto sorted = rnd;
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == seq);
    if (records > 3) CHECK(rnd != seq);
    // The same seed gives the same order, another seed another one.
    const record_order again(records, 4096, true, 1);
    const record_order other(records, 4096, true, 2);
    bool same = true, differs = false;
    for (std::uint64_t i = 0; i < records; ++i) {
      same = same && again.offset(i) == rnd[i];
      differs = differs || other.offset(i) != rnd[i];
    }
    CHECK(same);
    if (records > 3) CHECK(differs);
  }
}
