// --smtp spool: mails as .eml files a person can open.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "parallel_sync.h"
#include "round_sync.h"
#include "spool_placement.h"
#include "ticketd/mail/transport.h"

namespace ticketd::mail {
namespace {

// Threads that sync a batch's files together (parallel_sync.h). On the
// project's virtual disk 256 files took ~1.1 s one after another, ~100 ms
// with 8 threads, ~40 ms with 32; more brought nothing.
constexpr std::size_t kSyncThreads = 32;

// "<t.x.e.y.r.z@host>" -> "t.x.e.y.r.z@host": message ids are our own, but
// anything outside [A-Za-z0-9.@_-] becomes '_' all the same.
std::string FileNameOf(const std::string& message_id) {
  std::string name;
  for (char c : message_id) {
    if (c == '<' || c == '>') continue;
    const bool safe = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '@' || c == '-' || c == '_';
    name.push_back(safe ? c : '_');
  }
  return name + ".eml";
}

class SpoolTransport final : public Transport {
 public:
  SpoolTransport(std::filesystem::path dir, SpoolSync sync, std::function<void()> before_sync)
      : dir_(std::move(dir)), sync_(sync), before_sync_(std::move(before_sync)) {}

  DeliveryResult Deliver(const OutgoingMail& mail, const std::string& message) override {
    return DeliverAll({Item{&mail, message}}).front();
  }

  // Writes every file under tmp/, makes them all durable (round_sync.h: one
  // syncfs(), or each file's fdatasync() issued together, parallel_sync.h),
  // then the renames into outbox/ and one fsync of outbox/. A crash before
  // that fsync leaves the mails queued: written again under the same name
  // (the Message-ID).
  std::vector<DeliveryResult> DeliverAll(const std::vector<Item>& items) override {
    std::vector<DeliveryResult> results(items.size());
    std::vector<std::string> names(items.size());
    std::vector<int> fds(items.size(), -1);
    std::vector<int> written;  // fds[i] of the files written, in order
    const bool whole_filesystem = SyncWholeFilesystem(sync_);
    for (std::size_t i = 0; i < items.size(); ++i) {
      names[i] = FileNameOf(items[i].mail->message_id);
      results[i] = WriteFile(dir_ / "tmp" / names[i], items[i].message, &fds[i]);
      if (fds[i] < 0) continue;
      // Per file: start its writeback now. For syncfs, leave the pages to
      // the filesystem's writeback, which merges them.
      if (!whole_filesystem) ::sync_file_range(fds[i], 0, 0, SYNC_FILE_RANGE_WRITE);
      written.push_back(fds[i]);
    }
    if (before_sync_) before_sync_();
    const std::vector<int> sync_errors = whole_filesystem ? SyncFilesystemOf(written) : syncer_.DataSyncAll(written);
    bool any_written = false;
    for (std::size_t i = 0, j = 0; i < items.size(); ++i) {
      if (fds[i] < 0) continue;
      if (const int error = sync_errors[j++]; error != 0) results[i] = Retry(whole_filesystem ? "syncfs" : "fdatasync", error);
      if (::close(fds[i]) != 0 && results[i].outcome == DeliveryOutcome::kSent) results[i] = Retry("close", errno);
      any_written |= results[i].outcome == DeliveryOutcome::kSent;
    }
    if (!any_written) return results;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (results[i].outcome != DeliveryOutcome::kSent) continue;
      const std::filesystem::path tmp = dir_ / "tmp" / names[i], final_path = dir_ / "outbox" / names[i];
      if (std::rename(tmp.c_str(), final_path.c_str()) != 0) results[i] = Retry("rename", errno);
    }
    if (DeliveryResult synced = SyncDirectory("outbox"); synced.outcome != DeliveryOutcome::kSent)
      return FailWritten(std::move(results), synced);
    return results;
  }

  void ForgetPersonalData(const std::string& tag) override {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_ / "outbox", ec)) {
      std::ifstream in(entry.path());
      std::string line;
      while (std::getline(in, line) && line != "\r" && !line.empty()) {
        if (!line.starts_with("X-Ticketd-Personal-Data:")) continue;
        if ((line + " ").find(" " + tag + " ") != std::string::npos ||
            (line.ends_with("\r") && line.find(" " + tag + "\r") != std::string::npos)) {
          in.close();
          std::filesystem::remove(entry.path(), ec);
        }
        break;
      }
    }
  }

 private:
  // On success leaves the file open in *fd_out for the batch's syncs.
  static DeliveryResult WriteFile(const std::filesystem::path& path, const std::string& message, int* fd_out) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) return Retry("open", errno);
    std::size_t written = 0;
    while (written < message.size()) {
      ssize_t n = ::write(fd, message.data() + written, message.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int e = errno;
        ::close(fd);
        return Retry("write", e);
      }
      written += static_cast<std::size_t>(n);
    }
    *fd_out = fd;
    return DeliveryResult{DeliveryOutcome::kSent, ""};
  }
  // syncfs() through the first fd: its error counts for every file.
  static std::vector<int> SyncFilesystemOf(const std::vector<int>& fds) {
    if (fds.empty()) return {};
    const int error = ::syncfs(fds.front()) == 0 ? 0 : errno;
    return std::vector<int>(fds.size(), error);
  }
  // fsync() of a spool directory (its renames).
  DeliveryResult SyncDirectory(const char* name) const {
    int fd = ::open((dir_ / name).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Retry("open", errno);
    const int rc = ::fsync(fd);
    const int e = errno;
    ::close(fd);
    return rc == 0 ? DeliveryResult{DeliveryOutcome::kSent, ""} : Retry("fsync", e);
  }
  // A failed sync: nothing written in this batch counts as handed over.
  static std::vector<DeliveryResult> FailWritten(std::vector<DeliveryResult> results, const DeliveryResult& why) {
    for (DeliveryResult& r : results)
      if (r.outcome == DeliveryOutcome::kSent) r = why;
    return results;
  }
  static DeliveryResult Retry(const char* what, int error) {
    return DeliveryResult{DeliveryOutcome::kRetry, std::string("spool ") + what + ": " + std::strerror(error)};
  }
  std::filesystem::path dir_;
  const SpoolSync sync_;
  const std::function<void()> before_sync_;
  ParallelSync syncer_{kSyncThreads};
};

}  // namespace

Status MakeSpoolTransport(const std::string& dir, std::unique_ptr<Transport>* transport, SpoolSync sync,
                          std::function<void()> before_sync) {
  Status s = MakeSpoolDirectories(dir);
  if (!s.ok()) return s;
  *transport = std::make_unique<SpoolTransport>(dir, sync, std::move(before_sync));
  return Status::Ok();
}

}  // namespace ticketd::mail
