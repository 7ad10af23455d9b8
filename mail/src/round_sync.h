// How a spool round's files are made durable before they count as handed
// over: one syncfs() of the spool's filesystem, or one fdatasync() per file.
//
// On ext4 without a journal (this project's disks) an fdatasync() writes its
// file's data block, then its inode's table block synchronously, then
// flushes the disk's cache: ~2.2 write requests per mail even when issued
// together (parallel_sync.h merges the flushes, not the writes). Each of
// them queues beside the event log's WAL writes in the virtual disk's one
// request queue. A syncfs() writes the same files by the filesystem's
// writeback: adjacent blocks merged, each inode table block once for the
// 16 inodes it holds, one flush. 256 mails: ~70-110 write requests and
// 2-7 flushes instead of ~550-640 and 22-48 (docs/performance.md, mailcost).
//
// But syncfs() also writes every other dirty page of that filesystem (other
// programs' files too), which once slowed creates to a quarter when the box
// was busy writing. So it is taken only while the machine's dirty page
// cache is small (the spool's own files and little else): above the limit,
// the per-file syncs of before.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "ticketd/mail/transport.h"

namespace ticketd::mail {

// Dirty + Writeback of /proc/meminfo's text, in bytes; nullopt when it does
// not hold both.
std::optional<std::uint64_t> ParseDirtyBytes(std::string_view meminfo);
// The machine's dirty page cache (/proc/meminfo), nullopt when unreadable.
std::optional<std::uint64_t> DirtyPageCacheBytes();

// Above this much dirty page cache a round syncs file by file.
inline constexpr std::uint64_t kWholeFilesystemSyncDirtyLimit = 32ull << 20;

// Whether the round about to be written is synced with one syncfs().
bool SyncWholeFilesystem(SpoolSync mode);

}  // namespace ticketd::mail
