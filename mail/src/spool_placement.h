// Where the spool's files are born, so that creating one stays cheap.
//
// ext4 puts a new file's inode in its directory's block group and, on a
// filesystem without a journal, skips every free inode of that group that was
// freed in the last minutes, reading the inode's table block to check, again
// for every new file. In a group where many files were just deleted (this
// project's benches and tests `rm -rf` data dirs under /tmp all the time, and
// a previous spool's `rm -rf` poisons the group the next one picks) one .eml
// cost ~650 us of kernel CPU instead of ~12 us, which made that scan 45% of
// ticketd's CPU in a create run with --smtp spool.
#pragma once

#include <filesystem>

#include "ticketd/base/status.h"

namespace ticketd::mail {

// Makes `spool_dir` (flagged as the top of a directory hierarchy: chattr +T,
// so ext4's Orlov allocator spreads its subdirectories over groups of their
// own, like home directories) and a fresh, empty `spool_dir`/tmp: the old one
// holds nothing but leftovers of a batch a crash interrupted, whose mails are
// still queued and written again. The new tmp/ is made under a random name
// and renamed, since Orlov starts its search at a hash of the name: each
// start lands in a group of its own choosing, not the one the previous
// spool's files were deleted from. Best effort: other filesystems have no
// such flag.
Status MakeSpoolDirectories(const std::filesystem::path& spool_dir);

}  // namespace ticketd::mail
