// Key ids per event, and the master key file.
#include "ticketd/eventstore/subject_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aes_gcm.h"
#include "ticketd/domain/overloaded.h"
#include "ticketd/base/encoding.h"

namespace ticketd::eventstore {
namespace {

using namespace ticketd::domain;

bool ParseHexKey(std::string_view text, MasterKey* key) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  return HexDecode(text, *key);
}

// Written under a temp name with mode 0600 from the start, synced, then
// renamed: a crash never leaves a half-written key behind.
Status WriteKeyFile(const std::string& file, const MasterKey& key) {
  const std::filesystem::path path(file);
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  const std::string temp = file + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError("cannot create the master key file " + temp);
  const std::string text = HexEncode(key) + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(temp.c_str(), file.c_str()) != 0)
    return Status::IOError("cannot write the master key file " + file);
  return Status::Ok();
}

std::string TicketKeyId(const DomainEvent& event) { return "ticket:" + event.stream_id.ToString(); }

}  // namespace

// Every event is listed (no catch-all): a new event does not compile until
// someone decides whose key seals its personal data.
std::string SubjectKeyId(const DomainEvent& event) {
  return std::visit(
      Overloaded{
          [](const UserCreated& e) { return "user:" + e.user_id.ToString(); },
          [](const UserErased& e) { return "user:" + e.user_id.ToString(); },
          [](const TenantCreated&) { return std::string(); },
          [](const TokenIssued&) { return std::string(); },
          [](const AssetCreated&) { return std::string(); },
          [](const AssetDeleted&) { return std::string(); },
          // access (issue 11): no personal data
          [](const PermissionGroupCreated&) { return std::string(); },
          [](const PermissionGroupMemberAdded&) { return std::string(); },
          [](const PermissionGroupMemberRemoved&) { return std::string(); },
          [](const SettingsChanged&) { return std::string(); },
          [](const LicenseChanged&) { return std::string(); },
          [](const QuotaAlertRaised&) { return std::string(); },
          [](const ApiKeyCreated&) { return std::string(); },
          [](const ApiKeyRevoked&) { return std::string(); },
          [](const ApiKeyUsage&) { return std::string(); },
          [](const SlaDirectoryEvent&) { return std::string(); },
          [&](const SlaTicketEvent&) { return TicketKeyId(event); },
          // workflow (issue 12): catalog names are not personal data
          [](const WorkflowEvent&) { return std::string(); },
          [](const MailEvent&) { return std::string(); },  // mail out: templates, no personal data
          // sign-in: a user's sealed fields under the user's key
          [](const AccountEvent& e) {
            std::optional<Id> user = AccountEventSealedUser(e);
            return user ? "user:" + user->ToString() : std::string();
          },
          // A ticket's events all seal under the ticket's key.
          [&](const TicketCreated&) { return TicketKeyId(event); },
          [&](const TicketUpdated&) { return TicketKeyId(event); },
          [&](const TicketAssigned&) { return TicketKeyId(event); },
          [&](const TicketStatusChanged&) { return TicketKeyId(event); },
          [&](const CommentAdded&) { return TicketKeyId(event); },
          [&](const AttachmentAdded&) { return TicketKeyId(event); },
          [&](const TicketDeleted&) { return TicketKeyId(event); },
          [&](const TicketErased&) { return TicketKeyId(event); },
      },
      event.payload);
}

bool IsErasure(const EventPayload& payload) {
  return std::holds_alternative<UserErased>(payload) || std::holds_alternative<TicketErased>(payload);
}

Status SealWithMasterKey(const MasterKey& key, std::string_view aad, std::string_view plain, std::string* sealed) {
  sealed->clear();
  if (!SealGcmJoined(key, aad, plain, sealed)) return Status::IOError("sealing failed (OpenSSL)");
  return Status::Ok();
}

Status OpenWithMasterKey(const MasterKey& key, std::string_view aad, std::string_view sealed, std::string* plain) {
  if (!OpenGcmJoined(key, aad, sealed, plain))
    return Status::Corruption("sealed data does not open under this master key");
  return Status::Ok();
}

Status LoadMasterKey(const std::string& hex, const std::string& file, bool create, MasterKey* key,
                     bool* generated) {
  *generated = false;
  if (!hex.empty()) {
    if (!ParseHexKey(hex, key)) return Status::InvalidArgument("the master key must be 64 hex digits");
    return Status::Ok();
  }
  std::ifstream in(file);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    if (!ParseHexKey(text.str(), key))
      return Status::InvalidArgument("the master key file " + file + " does not hold 64 hex digits");
    return Status::Ok();
  }
  if (!create) return Status::NotFound("no master key file at " + file);
  if (!RandomBytes(*key)) return Status::IOError("the system has no randomness for a master key");
  Status s = WriteKeyFile(file, *key);
  if (s.ok()) *generated = true;
  return s;
}

}  // namespace ticketd::eventstore
