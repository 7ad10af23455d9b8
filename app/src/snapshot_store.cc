#include "ticketd/app/snapshot_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "ticketd/projections/binary_codec.h"

namespace ticketd::app {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMagic = "TKDSNAP\n";
constexpr std::string_view kSuffix = ".snap";
// Version 1 and 2: magic, version u32, position u64, chain hash, body
// length u64, checksum. Version 3 adds flags u32 and body layout u32 after
// the version.
constexpr std::size_t kLegacyHeaderSize = 8 + 4 + 8 + 32 + 8 + 32;
constexpr std::size_t kHeaderSize = kLegacyHeaderSize + 4 + 4;
constexpr std::uint32_t kFlagSealed = 1;

void PutFixed(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

std::uint64_t GetFixed(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(in[at + i])) << (8 * i);
  return value;
}

// Binds a sealed body to its position: one snapshot's body cannot pass for another's.
std::string SealingAad(std::uint64_t position) { return "ticketd snapshot " + std::to_string(position); }

// SHA-256 over everything before the checksum field, then the body.
eventstore::Hash Checksum(std::string_view header_prefix, std::string_view body) {
  eventstore::Hash prefix_hash = eventstore::ChainHash(eventstore::Hash{}, header_prefix);
  return eventstore::ChainHash(prefix_hash, body);
}

// Zero-padded, so names sort by position.
std::string FileName(std::uint64_t position) {
  char name[64];
  std::snprintf(name, sizeof name, "snapshot-%020llu", static_cast<unsigned long long>(position));
  return std::string(name) + std::string(kSuffix);
}

Status ErrnoStatus(const std::string& what) { return Status::IOError(what + ": " + std::strerror(errno)); }

Status WriteFileDurably(const fs::path& path, std::string_view a, std::string_view b) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus("cannot create " + path.string());
  for (std::string_view part : {a, b}) {
    while (!part.empty()) {
      ssize_t n = ::write(fd, part.data(), part.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        Status s = ErrnoStatus("cannot write " + path.string());
        ::close(fd);
        return s;
      }
      part.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  if (::fsync(fd) != 0) {
    Status s = ErrnoStatus("cannot fsync " + path.string());
    ::close(fd);
    return s;
  }
  ::close(fd);
  return Status::Ok();
}

Status SyncDir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open " + dir.string());
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : ErrnoStatus("cannot fsync " + dir.string());
}

// Checks one file; on success fills header and body.
std::string Validate(const std::string& bytes, SnapshotHeader* header, std::string_view* body) {
  if (bytes.size() < kLegacyHeaderSize || std::string_view(bytes).substr(0, kMagic.size()) != kMagic)
    return "not a ticketd snapshot (bad magic or too short)";
  auto version = static_cast<std::uint32_t>(GetFixed(bytes, 8, 4));
  std::size_t at = 12;  // after magic and version
  if (version == kSnapshotFormatVersion) {
    if (bytes.size() < kHeaderSize) return "truncated header";
    header->sealed = (GetFixed(bytes, at, 4) & kFlagSealed) != 0;
    header->body_layout = static_cast<std::uint32_t>(GetFixed(bytes, at + 4, 4));
    at += 8;
  } else if (version == kSealedSnapshotFormatV2 || version == kPlainSnapshotFormatV1) {
    header->sealed = version == kSealedSnapshotFormatV2;
    header->body_layout = 1;
  } else {
    return "format version " + std::to_string(version) + ", this build reads " +
           std::to_string(kPlainSnapshotFormatV1) + " to " + std::to_string(kSnapshotFormatVersion);
  }
  header->position = GetFixed(bytes, at, 8);
  std::memcpy(header->chain_hash.data(), bytes.data() + at + 8, 32);
  const std::size_t header_size = at + 8 + 32 + 8 + 32;
  std::uint64_t length = GetFixed(bytes, at + 40, 8);
  if (length != bytes.size() - header_size) return "truncated (body length does not match the file)";
  eventstore::Hash stored;
  std::memcpy(stored.data(), bytes.data() + at + 48, 32);
  *body = std::string_view(bytes).substr(header_size);
  if (Checksum(std::string_view(bytes).substr(0, at + 48), *body) != stored) return "checksum mismatch";
  return "";
}

}  // namespace

std::vector<std::string> SnapshotStore::List() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with("snapshot-") && name.ends_with(kSuffix)) names.push_back(std::move(name));
  }
  std::sort(names.rbegin(), names.rend());
  return names;
}

Status SnapshotStore::Write(const SnapshotHeader& header, std::string_view plain_body, bool only_this) const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return Status::IOError("cannot create " + dir_ + ": " + ec.message());
  std::string sealed;
  std::string_view body = plain_body;
  if (key_) {
    Status s = eventstore::SealWithMasterKey(*key_, SealingAad(header.position), plain_body, &sealed);
    if (!s.ok()) return s;
    body = sealed;
  }
  std::string head(kMagic);
  PutFixed(head, kSnapshotFormatVersion, 4);
  PutFixed(head, key_ ? kFlagSealed : 0, 4);
  PutFixed(head, header.body_layout, 4);
  PutFixed(head, header.position, 8);
  head.append(reinterpret_cast<const char*>(header.chain_hash.data()), 32);
  PutFixed(head, body.size(), 8);
  eventstore::Hash checksum = Checksum(head, body);
  head.append(reinterpret_cast<const char*>(checksum.data()), 32);

  const std::string name = FileName(header.position);
  const fs::path final_path = fs::path(dir_) / name;
  const fs::path temp_path = fs::path(dir_) / (name + ".tmp");
  Status s = WriteFileDurably(temp_path, head, body);
  if (!s.ok()) {
    fs::remove(temp_path, ec);
    return s;
  }
  if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    s = ErrnoStatus("cannot rename " + temp_path.string());
    fs::remove(temp_path, ec);
    return s;
  }
  s = SyncDir(dir_);
  if (!s.ok()) return s;
  // Leftovers of a write a crash interrupted: they may hold state an
  // erasure since removed, and nothing ever reads them.
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (entry.path().filename().string().ends_with(std::string(kSuffix) + ".tmp"))
      fs::remove(entry.path(), ec);
  }
  std::size_t kept = 0;
  for (const std::string& other : List()) {
    bool keep = only_this ? other == name : (other == name || kept < keep_);
    if (keep) {
      ++kept;
      continue;
    }
    if (!fs::remove(fs::path(dir_) / other, ec) && ec)
      return Status::IOError("cannot delete old snapshot " + other + ": " + ec.message());
  }
  return SyncDir(dir_);
}

Status SnapshotStore::LoadNewest(
    const std::function<bool(const SnapshotHeader&, std::string_view body)>& accept) const {
  for (const std::string& name : List()) {
    const fs::path path = fs::path(dir_) / name;
    std::ifstream file(path, std::ios::binary);
    std::string bytes;
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (file && !ec) {
      bytes.resize(size);
      file.read(bytes.data(), static_cast<std::streamsize>(size));
      if (!file) bytes.clear();
    }
    SnapshotHeader header;
    std::string_view body;
    std::string problem = Validate(bytes, &header, &body);
    std::string plain;
    if (problem.empty() && header.sealed) {
      if (!key_ || !eventstore::OpenWithMasterKey(*key_, SealingAad(header.position), body, &plain).ok())
        problem = "it is sealed under another master key (or none was given)";
      body = plain;
    }
    if (problem.empty() && accept(header, body)) return Status::Ok();
    std::fprintf(stderr, "ticketd: snapshot %s ignored: %s; trying an older one or the full log\n",
                 path.c_str(), problem.empty() ? "it does not match this log or does not decode" : problem.c_str());
  }
  return Status::NotFound("no usable snapshot in " + dir_);
}

}  // namespace ticketd::app
