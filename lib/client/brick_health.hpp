#pragma once
// Telling whether a volume runs degraded, from what a libgfapi client can
// see. libgfapi has no call for the state of its client graph's children,
// so this combines two real answers:
//  - the client volfile (glfs_get_volfile) names every brick, one
//    protocol/client translator each (remote-host, remote-subvolume);
//  - a pathinfo query on "/" (virtual xattr glusterfs.pathinfo) is answered
//    by the POSIX translator of every brick the client reaches right now:
//    "(<REPLICATE:v-replicate-0> <POSIX(/b1):host:/b1/> <POSIX(/b2):...>)".
//    A brick that is down is simply missing from the answer.
// Limits: a brick that went down and came back between two queries is not
// seen; a brick that hangs (SIGSTOP, a stuck disk) makes the query wait
// like any other call, up to network.ping-timeout.

#include <string>
#include <string_view>
#include <vector>

#include "gfbench/fs_types.hpp"

namespace gfbench::detail {

/// One brick as the client volfile names it.
struct volfile_brick {
  std::string host;
  std::string path;  ///< remote-subvolume: the brick directory
};

/// The bricks of a client volfile: every protocol/client translator except
/// snapd's (user-serviceable snapshots), which is no brick.
std::vector<volfile_brick> parse_volfile_bricks(std::string_view volfile);

/// The brick paths in a pathinfo answer, one per <POSIX(path):...> entry.
std::vector<std::string> parse_pathinfo_bricks(std::string_view pathinfo);

/// Both together: how many bricks answered, and which did not where the
/// paths tell (a path that several hosts use for their bricks cannot).
brick_status compare_bricks(const std::vector<volfile_brick>& expected,
                            const std::vector<std::string>& answered);

}  // namespace gfbench::detail
