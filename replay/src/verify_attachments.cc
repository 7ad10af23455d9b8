#include "verify_attachments.h"

#include <map>
#include <set>
#include <vector>

#include "ticketd/base/sha256.h"

namespace ticketd::replay {
namespace {

struct Reference {
  std::uint64_t position = 0;
  domain::Id tenant_id;
  domain::Id ticket_id;
  std::string sha256;
};

}  // namespace

AttachmentReport VerifyAttachments(const eventstore::EventLog& log) {
  AttachmentReport report;
  std::vector<Reference> references;
  std::set<std::pair<domain::Id, domain::Id>> released;  // (tenant, ticket) erased or deleted
  Status s = log.ReadAll(1, [&](const eventstore::RecordedEvent& recorded) {
    const domain::DomainEvent& event = recorded.event;
    if (const auto* added = std::get_if<domain::AttachmentAdded>(&event.payload)) {
      references.push_back({recorded.position, event.tenant_id, event.stream_id, added->sha256});
    } else if (std::holds_alternative<domain::TicketErased>(event.payload) ||
               std::holds_alternative<domain::TicketDeleted>(event.payload)) {
      released.emplace(event.tenant_id, event.stream_id);
    }
    return true;
  });
  if (!s.ok()) {
    report.ok = false;
    report.problem = s.ToString();
    return report;
  }
  std::map<std::pair<domain::Id, std::string>, bool> hashed;  // each stored file once
  for (const Reference& reference : references) {
    if (released.contains({reference.tenant_id, reference.ticket_id})) {
      ++report.erased;
      continue;
    }
    auto key = std::make_pair(reference.tenant_id, reference.sha256);
    auto it = hashed.find(key);
    if (it == hashed.end()) {
      std::string bytes;
      Status read = log.ReadBlob(reference.tenant_id, reference.sha256, &bytes);
      it = hashed.emplace(key, read.ok() && Sha256Hex(bytes) == reference.sha256).first;
      if (!read.ok() && !read.IsNotFound() && report.problem.empty()) report.problem = read.ToString();
    }
    if (!it->second) {
      report.ok = false;
      report.first_bad_position = reference.position;
      report.problem = "attachment " + reference.sha256 + " of the event at position " +
                       std::to_string(reference.position) + " is missing or does not hash to its sha256";
      return report;
    }
    ++report.checked;
  }
  report.problem.clear();
  return report;
}

}  // namespace ticketd::replay
