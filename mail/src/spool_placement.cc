#include "spool_placement.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <random>

namespace ticketd::mail {
namespace {

namespace fs = std::filesystem;

void MarkTopDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  int flags = 0;
  if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && !(flags & FS_TOPDIR_FL)) {
    flags |= FS_TOPDIR_FL;
    (void)::ioctl(fd, FS_IOC_SETFLAGS, &flags);
  }
  ::close(fd);
}

std::string RandomSuffix() {
  std::random_device random;
  char text[17];
  std::snprintf(text, sizeof text, "%08x%08x", random(), random());
  return text;
}

}  // namespace

Status MakeSpoolDirectories(const fs::path& spool_dir) {
  std::error_code ec;
  fs::create_directories(spool_dir, ec);
  if (!ec) MarkTopDirectory(spool_dir);
  if (!ec) fs::create_directories(spool_dir / "outbox", ec);
  if (!ec) fs::remove_all(spool_dir / "tmp", ec);
  if (!ec) {
    const fs::path fresh = spool_dir / ("tmp." + RandomSuffix());
    fs::create_directory(fresh, ec);
    if (!ec) fs::rename(fresh, spool_dir / "tmp", ec);
  }
  if (ec) return Status::IOError("cannot create the mail spool " + spool_dir.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace ticketd::mail
