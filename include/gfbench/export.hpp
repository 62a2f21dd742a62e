#pragma once
/// \file
/// Symbol visibility. The library is built with hidden visibility so that only
/// what carries GFBENCH_API is part of the ABI; the attribute is harmless for
/// static builds and for consumers.

#if defined(__GNUC__) || defined(__clang__)
#define GFBENCH_API __attribute__((visibility("default")))
#else
#define GFBENCH_API
#endif
