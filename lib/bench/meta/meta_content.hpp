#pragma once
// What the metadata phases' threads share: the content every file of a
// tree holds (and its extended attribute's value), and how one thread
// times its items and counts what went wrong.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "bench/record/latency_histogram.hpp"
#include "bench/record/timeline_builder.hpp"
#include "util/mix.hpp"

namespace gfbench::detail {

using meta_clock = std::chrono::steady_clock;

inline constexpr const char* meta_xattr_name = "user.gfbench";
// File data repeats with this period; a file's first 16 bytes (its stamp)
// say which file it is.
inline constexpr std::size_t meta_period = std::size_t{64} * 1024;
inline constexpr std::size_t meta_stamp_bytes = 16;

// What one thread did in one pass.
struct thread_result {
  latency_histogram latencies;
  std::uint64_t records = 0;
  std::uint64_t items = 0;  // files (or entries listed) the pass covered
  std::uint64_t bytes = 0;
  std::map<int, std::uint64_t> errors;
  std::string first_error;
  std::uint64_t mismatches = 0;
  std::string first_mismatch;
  bool interrupted = false;
  meta_clock::time_point end{};
  meta_clock::duration excluded{};  // checks between calls, not part of the pass
  timeline_writer timeline;         // a timed pass's; writes nothing otherwise
};

// The clock of one thread: a record is the time of its calls, less any
// check made inside it; checks count toward neither the record nor the pass.
class item_clock {
 public:
  explicit item_clock(thread_result& r) : r_(r) {}
  template <class F>
  void timed(std::uint64_t bytes, F&& f) {
    const auto excluded_before = r_.excluded;
    const auto start = meta_clock::now();
    r_.timeline.submitted();
    f();
    const auto end = meta_clock::now();
    const auto took =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       end - start - (r_.excluded - excluded_before))
                                       .count());
    r_.latencies.add(took);
    ++r_.records;
    r_.bytes += bytes;
    r_.timeline.completed(end, took, bytes, 0, true, 0);  // items follow (add_items)
  }
  template <class F>
  void untimed(F&& f) {
    const auto start = meta_clock::now();
    f();
    r_.excluded += meta_clock::now() - start;
  }
  void add_items(std::uint64_t n) noexcept {
    r_.items += n;
    r_.timeline.add_items(n);
  }
  void mismatch(std::string what) {
    if (r_.mismatches++ == 0) r_.first_mismatch = std::move(what);
  }

 private:
  thread_result& r_;
};

// File content: a 64 KiB period of the seed's words, with the file's stamp
// over its first 16 bytes; appends continue the period where the file ends.
class meta_content {
 public:
  explicit meta_content(std::uint64_t seed) : bytes_(meta_period) {
    for (std::size_t w = 0; w < meta_period / 8; ++w) {
      const std::uint64_t v = mix(seed + w);
      std::memcpy(bytes_.data() + w * 8, &v, 8);
    }
    seed_ = seed;
  }
  [[nodiscard]] std::array<std::byte, meta_stamp_bytes> stamp(unsigned thread,
                                                              std::uint64_t item) const noexcept {
    std::array<std::byte, meta_stamp_bytes> s{};
    const std::uint64_t a = mix(seed_ ^ (std::uint64_t{thread} << 48) ^ item);
    const std::uint64_t b = mix(a);
    std::memcpy(s.data(), &a, 8);
    std::memcpy(s.data() + 8, &b, 8);
    return s;
  }
  // Fills `out` with the bytes at [offset, offset + out.size()) of a file
  // of `thread` and `item` that was created `created` bytes long.
  void fill(std::span<std::byte> out, std::uint64_t offset, unsigned thread, std::uint64_t item,
            std::uint64_t created) const noexcept {
    std::size_t done = 0;
    while (done < out.size()) {
      const std::size_t at = static_cast<std::size_t>((offset + done) % meta_period);
      const std::size_t n = std::min(out.size() - done, meta_period - at);
      std::memcpy(out.data() + done, bytes_.data() + at, n);
      done += n;
    }
    const std::uint64_t stamped = std::min<std::uint64_t>(meta_stamp_bytes, created);
    if (offset < stamped) {
      const auto s = stamp(thread, item);
      const std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(stamped - offset, out.size()));
      std::memcpy(out.data(), s.data() + offset, n);
    }
  }
  [[nodiscard]] std::array<std::byte, 16> xattr_value(unsigned thread, std::uint64_t item,
                                                      std::uint32_t generation) const noexcept {
    return stamp(thread, item ^ (std::uint64_t{generation} << 32));
  }

 private:
  std::vector<std::byte> bytes_;
  std::uint64_t seed_ = 0;
};

}  // namespace gfbench::detail
