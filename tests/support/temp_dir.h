// Temporary directories for tests: fresh, under $TMPDIR (else /tmp), named
// ticketd-NAME-XXXXXX so a leftover says which test made it.
//
// Thread-safety: any thread; each TempDir is owned by one.
#pragma once

#include <string>
#include <string_view>

namespace ticketd::test_support {

// Creates a new directory and returns its path, or "" if mkdtemp failed.
// The caller removes it.
std::string MakeTempDir(std::string_view name);

// A new directory, removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(std::string_view name) : path_(MakeTempDir(name)) {}
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }  // "" when creating it failed

 private:
  std::string path_;
};

}  // namespace ticketd::test_support
