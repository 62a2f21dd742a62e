// io_error: the one error type. Its message must let a person find the
// failing call (operation, volume, path, offset), say why (strerror) and what
// to do (hint); it must be catchable as std::system_error with the errno in
// the generic category; and copying it must not allocate.

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>
#include <exception>
#include <string>
#include <system_error>
#include <type_traits>

#include "gfbench/error.hpp"

using Catch::Matchers::Contains;
using gfbench::io_error;

namespace {

io_error full_error() {
  return io_error(EIO, {.operation = "glfs_pwrite",
                        .volume = "vol0",
                        .path = "/run/w0",
                        .offset = 1048576,
                        .hint = "check the brick logs"});
}

}  // namespace

TEST_CASE("io_error message names operation, volume, path, offset, cause and hint", "[unit]") {
  const io_error e = full_error();
  const std::string what = e.what();
  CHECK_THAT(what, Contains("glfs_pwrite"));
  CHECK_THAT(what, Contains("volume=vol0"));
  CHECK_THAT(what, Contains("path=/run/w0"));
  CHECK_THAT(what, Contains("offset=1048576"));
  CHECK_THAT(what, Contains(std::strerror(EIO)));
  CHECK_THAT(what, Contains("check the brick logs"));
  // The documented shape, in this order.
  CHECK(what.rfind("glfs_pwrite volume=vol0 path=/run/w0 offset=1048576: Input/output error", 0) ==
        0);
}

TEST_CASE("io_error accessors return the context it was made with", "[unit]") {
  const io_error e = full_error();
  CHECK(e.errno_value() == EIO);
  CHECK(e.operation() == "glfs_pwrite");
  CHECK(e.volume() == "vol0");
  CHECK(e.path() == "/run/w0");
  REQUIRE(e.offset().has_value());
  CHECK(*e.offset() == 1048576u);
  CHECK(e.hint() == "check the brick logs");
}

TEST_CASE("io_error code() carries errno in the generic category", "[unit]") {
  const io_error e(ENOENT, {.operation = "glfs_open", .volume = "v", .path = "/missing"});
  CHECK(e.code().value() == ENOENT);
  CHECK(e.code().category() == std::generic_category());
  CHECK(e.code() == std::errc::no_such_file_or_directory);
  CHECK(e.errno_value() == e.code().value());
}

TEST_CASE("io_error leaves out what it was not given, but keeps offset zero", "[unit]") {
  const io_error bare(ENOTCONN, {.operation = "connect"});
  const std::string what = bare.what();
  CHECK(what.find("volume=") == std::string::npos);
  CHECK(what.find("path=") == std::string::npos);
  CHECK(what.find("offset=") == std::string::npos);
  CHECK_THAT(what, Contains(std::strerror(ENOTCONN)));
  CHECK_FALSE(bare.offset().has_value());
  CHECK(bare.hint().empty());

  // Offset 0 is a real offset (the first write of a file), not "none".
  const io_error at_zero(EIO,
                         {.operation = "glfs_pread", .volume = "v", .path = "/f", .offset = 0});
  CHECK_THAT(std::string(at_zero.what()), Contains("offset=0"));
  REQUIRE(at_zero.offset().has_value());
  CHECK(*at_zero.offset() == 0u);
}

TEST_CASE("io_error copies without allocating and is caught as std::system_error", "[unit]") {
  static_assert(std::is_nothrow_copy_constructible_v<io_error>);
  static_assert(std::is_nothrow_copy_assignable_v<io_error>);
  static_assert(std::is_base_of_v<std::system_error, io_error>);

  const io_error original = full_error();
  const io_error copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  // The message is shared, not rebuilt: the very same characters.
  CHECK(copy.what() == original.what());
  CHECK(copy.errno_value() == EIO);
  CHECK(copy.path() == original.path());

  // Through std::exception_ptr, as a thread pool or benchmark runner carries it.
  std::exception_ptr carried;
  try {
    throw full_error();
  } catch (...) {
    carried = std::current_exception();
  }
  bool caught = false;
  try {
    std::rethrow_exception(carried);
  } catch (const std::system_error& e) {
    caught = true;
    CHECK(e.code().value() == EIO);
    CHECK_THAT(std::string(e.what()), Contains("path=/run/w0"));
    const auto* as_io = dynamic_cast<const io_error*>(&e);
    REQUIRE(as_io != nullptr);
    CHECK(as_io->offset() == std::optional<std::uint64_t>(1048576));
  }
  CHECK(caught);
}

TEST_CASE("io_error names a target by its description, without volume=", "[unit]") {
  const io_error on_target(
      ETIMEDOUT,
      {.operation = "pwrite", .volume = "volume vol0 (libgfapi)", .path = "/f", .offset = 4096});
  CHECK(std::string(on_target.what())
            .rfind("pwrite volume vol0 (libgfapi) path=/f offset=4096: ", 0) == 0);
  const io_error on_dir(EIO, {.operation = "verify", .volume = "directory /mnt/x (POSIX)"});
  CHECK(std::string(on_dir.what()).rfind("verify directory /mnt/x (POSIX): ", 0) == 0);
}
