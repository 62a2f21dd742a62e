#pragma once
// A page-aligned byte buffer (O_DIRECT needs aligned memory), touched once
// at allocation so that no page fault lands inside a timed region.

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <span>

namespace gfbench::detail {

class aligned_buffer {
 public:
  /// A page: what O_DIRECT needs of a buffer's address (direct_io_alignment).
  static constexpr std::size_t alignment = 4096;

  explicit aligned_buffer(std::size_t size) : size_(size) {
    const std::size_t rounded = (size + alignment - 1) / alignment * alignment;
    void* p = std::aligned_alloc(alignment, rounded == 0 ? alignment : rounded);
    if (p == nullptr) throw std::bad_alloc();
    std::memset(p, 0, rounded == 0 ? alignment : rounded);
    data_.reset(static_cast<std::byte*>(p));
  }
  [[nodiscard]] std::span<std::byte> span() noexcept { return {data_.get(), size_}; }
  [[nodiscard]] std::span<const std::byte> span() const noexcept { return {data_.get(), size_}; }
  [[nodiscard]] std::span<std::byte> slice(std::size_t offset, std::size_t length) noexcept {
    return {data_.get() + offset, length};
  }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

 private:
  struct release {
    void operator()(std::byte* p) const noexcept { std::free(p); }
  };
  std::unique_ptr<std::byte, release> data_;
  std::size_t size_;
};

}  // namespace gfbench::detail
