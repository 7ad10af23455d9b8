// libFuzzer: a request target (path + query string) -> ParseTarget ->
// ParseListQuery -> TicketReadModel::Query over a few tickets, as
// GET /api/v1/tickets does. Any bytes: a page or a 400, never a crash.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "list_query.h"
#include "query_string.h"
#include "ticketd/projections/ticket_read_model.h"

namespace {

using namespace ticketd;

domain::Id IdFromByte(std::uint8_t n) {
  std::string raw(16, '\0');
  raw[15] = static_cast<char>(n);
  raw[6] = 0x40;  // a version-4 layout, as real ids have
  raw[8] = static_cast<char>(0x80);
  return *domain::Id::FromBytes(raw);
}

// A tenant with tickets of every priority and status, some due, some
// assigned, with words to search for.
const projections::TicketReadModel& Model() {
  static projections::TicketReadModel* model = [] {
    auto* m = new projections::TicketReadModel();
    const char* subjects[] = {"Printer on fire", "VPN down", "Laptop slow", "Email bounce", "Printer jam"};
    for (std::uint8_t i = 1; i <= 40; ++i) {
      auto ticket = std::make_shared<domain::Ticket>();
      ticket->id = IdFromByte(i);
      ticket->tenant_id = IdFromByte(200);
      ticket->number = i;
      ticket->number_text = "TKT-0000" + std::to_string(10 + i);
      ticket->subject = subjects[i % 5];
      ticket->description = "floor " + std::to_string(i % 7);
      ticket->priority = static_cast<domain::Priority>(i % 4);
      ticket->status = static_cast<domain::TicketStatus>(i % 6);
      ticket->category = i % 3 ? "hardware" : "";
      ticket->reporter_id = IdFromByte(100 + i % 3);
      if (i % 2) ticket->assignee_id = IdFromByte(150);
      if (i % 5) ticket->due_at = 1'700'000'000'000'000 + i * 3'600'000'000LL;
      ticket->created_at = 1'700'000'000'000'000 + i;
      ticket->updated_at = ticket->created_at + i * 7;
      ticket->version = 1;
      m->Upsert(ticket);
    }
    return m;
  }();
  return *model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ticketd::api;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<Target> target = ParseTarget(text);
  if (!target) return 0;
  PathSegments(target->path);
  projections::TicketQuery query;
  query.now = 1'700'000'050'000'000;
  if (ParseListQuery(*target, &query)) return 0;  // a 400
  domain::Actor reporter;
  reporter.kind = domain::Actor::Kind::kUser;
  reporter.role = domain::Role::kReporter;
  reporter.user_id = IdFromByte(101);
  projections::TicketQuery restricted = query;
  RestrictToVisibleTickets(reporter, &restricted);
  for (const projections::TicketQuery* q : {&query, &restricted}) {
    projections::TicketPage page;
    Status s = Model().Query(IdFromByte(200), *q, &page);
    if (s.ok() && page.items.size() > q->page_size) __builtin_trap();  // a page never exceeds its size
    // Follow the cursor once: the next page must be readable too.
    if (s.ok() && !page.next_cursor.empty()) {
      projections::TicketQuery next = *q;
      next.cursor = page.next_cursor;
      projections::TicketPage second;
      if (!Model().Query(IdFromByte(200), next, &second).ok()) __builtin_trap();
    }
  }
  return 0;
}
