#pragma once
/// \file
/// Everything gfbench offers, in one include.

#include "gfbench/error.hpp"
#include "gfbench/file.hpp"
#include "gfbench/fs_types.hpp"
#include "gfbench/sandbox.hpp"
#include "gfbench/volume.hpp"
