#pragma once
/// \file
/// Everything gfbench offers, in one include: the libgfapi client (volume,
/// file, errors), benchmark targets and their scratch areas, the case
/// vocabulary, kernels, recorder, observers and registration, queued I/O
/// (io_queue) and the VM workloads, the watchdog
/// and stop requests, the sandbox, and size units.

#include "gfbench/case.hpp"
#include "gfbench/distribution.hpp"
#include "gfbench/error.hpp"
#include "gfbench/file.hpp"
#include "gfbench/fs_types.hpp"
#include "gfbench/io_queue.hpp"
#include "gfbench/kernels.hpp"
#include "gfbench/metadata.hpp"
#include "gfbench/observer.hpp"
#include "gfbench/recorder.hpp"
#include "gfbench/sandbox.hpp"
#include "gfbench/scratch.hpp"
#include "gfbench/stop.hpp"
#include "gfbench/suite.hpp"
#include "gfbench/target.hpp"
#include "gfbench/target_wrapper.hpp"
#include "gfbench/timeline.hpp"
#include "gfbench/units.hpp"
#include "gfbench/volume.hpp"
#include "gfbench/volume_options.hpp"
#include "gfbench/watchdog.hpp"
#include "gfbench/workloads.hpp"
