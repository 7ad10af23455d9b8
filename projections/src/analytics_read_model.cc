#include "ticketd/projections/analytics_read_model.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "chunked_set.h"
#include "tenant_partitions.h"

namespace ticketd::projections {
namespace {

using domain::TicketStatus;

constexpr double kMicrosPerHour = 3600.0 * domain::kMicrosPerSecond;

domain::Timestamp DayOf(domain::Timestamp t) {
  domain::Timestamp day = t / domain::kMicrosPerDay * domain::kMicrosPerDay;
  return day > t ? day - domain::kMicrosPerDay : day;
}

// A sorted multiset of durations with an exact running sum. Chunked sorted
// arrays rather than a std::multiset: no node allocation per resolution
// (replay inserts one per resolve and close), and a percentile is found by
// skipping whole chunks instead of stepping through every node.
struct Durations {
  ChunkedSet<double, std::less<double>> hours;
  double sum = 0;
  void Add(double h) {
    hours.Insert(h);
    sum += h;
  }
  void Remove(double h) {
    if (hours.Erase(h)) sum -= h;
  }
  DurationSummary Summary() const {
    DurationSummary s;
    s.count = static_cast<std::int64_t>(hours.size());
    if (hours.empty()) return s;
    s.mean = sum / static_cast<double>(hours.size());
    auto at = [&](double q) {  // nearest-rank percentile
      std::size_t rank = static_cast<std::size_t>(q * static_cast<double>(hours.size()) + 0.999999);
      rank = std::clamp<std::size_t>(rank, 1, hours.size());
      return hours.Nth(rank - 1);
    };
    s.p50 = at(0.5);
    s.p90 = at(0.9);
    return s;
  }
};

// What one ticket's status changes added to the duration and closed-per-day
// aggregates, to take it back on delete. Only tickets that were ever resolved
// or closed have an entry (the created day comes from the ticket itself), and
// an entry is one small array: at a million open tickets that is a million
// hash nodes and three vectors each saved.
struct TicketFact {
  double hours = 0;
  domain::Timestamp closed_day = 0;  // kClosed facts only
  bool closed = false;               // false: a resolve fact
};
using TicketFacts = std::vector<TicketFact>;

struct TenantAnalytics {
  std::array<std::int64_t, domain::kStatusCount> by_status{};
  std::array<std::int64_t, domain::kPriorityCount> open_by_priority{};
  std::map<domain::Id, AssigneeLoad> per_assignee;
  std::unordered_map<std::string, std::int64_t> categories;
  std::set<std::pair<domain::Timestamp, domain::Id>> in_progress;  // (since, id)
  // id -> (since, number) of the tickets in progress
  std::unordered_map<domain::Id, std::pair<domain::Timestamp, std::string>, domain::IdHash> in_progress_since;
  Durations resolve, close;
  std::map<domain::Timestamp, std::int64_t> created_per_day, closed_per_day;
  std::unordered_map<domain::Id, TicketFacts, domain::IdHash> facts;

  // Adds (sign +1) or removes (-1) the state-based contribution of a ticket.
  void Count(const domain::Ticket& t, int sign) {
    by_status[domain::IndexOf(t.status)] += sign;
    if (t.status == TicketStatus::kOpen) open_by_priority[domain::IndexOf(t.priority)] += sign;
    if (t.assignee_id) {
      AssigneeLoad& load = per_assignee[*t.assignee_id];
      load.assignee_id = *t.assignee_id;
      switch (t.status) {
        case TicketStatus::kOpen:
          load.open += sign;
          break;
        case TicketStatus::kInProgress:
          load.in_progress += sign;
          break;
        case TicketStatus::kResolved:
          load.resolved += sign;
          break;
        case TicketStatus::kClosed:
          load.closed += sign;
          break;
        case TicketStatus::kOnHold:
        case TicketStatus::kCancelled:
          break;
      }
      if (load.open == 0 && load.in_progress == 0 && load.resolved == 0 && load.closed == 0)
        per_assignee.erase(*t.assignee_id);
    }
    if (!t.category.empty()) {
      auto& count = categories[t.category];
      count += sign;
      if (count == 0) categories.erase(t.category);
    }
  }

  void LeaveInProgress(const domain::Id& id) {
    if (auto it = in_progress_since.find(id); it != in_progress_since.end()) {
      in_progress.erase({it->second.first, id});
      in_progress_since.erase(it);
    }
  }

  static void Decrement(std::map<domain::Timestamp, std::int64_t>& per_day, domain::Timestamp day) {
    if (auto it = per_day.find(day); it != per_day.end() && --it->second == 0) per_day.erase(it);
  }

  void Forget(const domain::Ticket& deleted) {
    Decrement(created_per_day, DayOf(deleted.created_at));  // created_at is the created event's time
    auto it = facts.find(deleted.id);
    if (it == facts.end()) return;
    for (const TicketFact& fact : it->second) {
      if (fact.closed) {
        close.Remove(fact.hours);
        Decrement(closed_per_day, fact.closed_day);
      } else {
        resolve.Remove(fact.hours);
      }
    }
    facts.erase(it);
  }

  void Apply(const domain::DomainEvent& event, const TicketPtr& before, const TicketPtr& after) {
    const domain::Id& id = event.stream_id;
    if (before) Count(*before, -1);
    if (after) Count(*after, +1);
    if (!after) {
      LeaveInProgress(id);
      if (before) Forget(*before);
      return;
    }
    if (std::holds_alternative<domain::TicketCreated>(event.payload)) ++created_per_day[DayOf(event.at)];
    const auto* changed = std::get_if<domain::TicketStatusChanged>(&event.payload);
    if (!changed) return;
    double hours = static_cast<double>(event.at - after->created_at) / kMicrosPerHour;
    if (changed->to == TicketStatus::kResolved) {
      resolve.Add(hours);
      facts[id].push_back({hours, 0, false});
    } else if (changed->to == TicketStatus::kClosed) {
      close.Add(hours);
      facts[id].push_back({hours, DayOf(event.at), true});
      ++closed_per_day[DayOf(event.at)];
    }
    LeaveInProgress(id);
    if (changed->to == TicketStatus::kInProgress) {
      in_progress.insert({event.at, id});
      in_progress_since[id] = {event.at, after->number_text};
    }
  }
};

std::vector<DayCount> ToDays(const std::map<domain::Timestamp, std::int64_t>& per_day) {
  std::vector<DayCount> out;
  out.reserve(per_day.size());
  for (const auto& [day, count] : per_day) out.push_back({day, count});
  return out;
}

}  // namespace

struct AnalyticsReadModel::Impl {
  TenantPartitions<TenantAnalytics> tenants;
};

AnalyticsReadModel::AnalyticsReadModel() : impl_(std::make_unique<Impl>()) {}
AnalyticsReadModel::~AnalyticsReadModel() = default;

void AnalyticsReadModel::OnTicketEvent(const domain::DomainEvent& event, const TicketPtr& before,
                                       const TicketPtr& after) {
  impl_->tenants.Write(event.tenant_id, [&](TenantAnalytics& tenant) { tenant.Apply(event, before, after); });
}

Analytics AnalyticsReadModel::Snapshot(const domain::Id& tenant_id, domain::Timestamp now,
                                       domain::Timestamp stale_after) const {
  Analytics out;
  impl_->tenants.Read(tenant_id, [&](const TenantAnalytics& t) {
    out.by_status = t.by_status;
    out.open_by_priority = t.open_by_priority;
    for (const auto& [id, load] : t.per_assignee) out.per_assignee.push_back(load);
    out.time_to_resolve = t.resolve.Summary();
    out.time_to_close = t.close.Summary();
    out.created_per_day = ToDays(t.created_per_day);
    out.closed_per_day = ToDays(t.closed_per_day);
    for (const auto& [category, count] : t.categories) out.top_categories.push_back({category, count});
    std::sort(out.top_categories.begin(), out.top_categories.end(), [](const auto& a, const auto& b) {
      return a.count != b.count ? a.count > b.count : a.category < b.category;
    });
    if (out.top_categories.size() > 10) out.top_categories.resize(10);
    for (const auto& [since, id] : t.in_progress) {
      if (since > now - stale_after) break;
      out.stale_in_progress.push_back({id, t.in_progress_since.at(id).second, since});
    }
  });
  return out;
}

}  // namespace ticketd::projections

namespace ticketd::projections {
namespace {

void EncodeDays(BinaryWriter& out, const std::map<domain::Timestamp, std::int64_t>& per_day) {
  out.U64(per_day.size());
  for (const auto& [day, count] : per_day) {
    out.I64(day);
    out.I64(count);
  }
}

bool DecodeDays(BinaryReader& in, std::map<domain::Timestamp, std::int64_t>* per_day) {
  std::size_t count = 0;
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    domain::Timestamp day = 0;
    std::int64_t n = 0;
    if (!in.I64(&day) || !in.I64(&n)) return false;
    (*per_day)[day] = n;
  }
  return true;
}

template <class T, class Put>
void EncodeList(BinaryWriter& out, const std::vector<T>& values, Put put) {
  out.U64(values.size());
  for (const T& v : values) put(v);
}

template <class T, class Get>
bool DecodeList(BinaryReader& in, std::vector<T>* values, Get get) {
  std::size_t count = 0;
  if (!in.Count(&count)) return false;
  values->resize(count);
  for (T& v : *values)
    if (!get(&v)) return false;
  return true;
}

// Everything except what follows from other fields (the duration sets
// are the union of the facts' hours; `in_progress` mirrors in_progress_since).
void EncodeTenant(BinaryWriter& out, const TenantAnalytics& t) {
  for (std::int64_t n : t.by_status) out.I64(n);
  for (std::int64_t n : t.open_by_priority) out.I64(n);
  out.U64(t.per_assignee.size());
  for (const auto& [id, load] : t.per_assignee) {
    out.Id(id);
    for (std::int64_t n : {load.open, load.in_progress, load.resolved, load.closed}) out.I64(n);
  }
  std::vector<std::pair<std::string, std::int64_t>> categories(t.categories.begin(), t.categories.end());
  std::sort(categories.begin(), categories.end());
  out.U64(categories.size());
  for (const auto& [name, count] : categories) {
    out.Bytes(name);
    out.I64(count);
  }
  out.U64(t.in_progress_since.size());
  for (const auto* entry : SortedEntries(t.in_progress_since)) {
    out.Id(entry->first);
    out.I64(entry->second.first);
    out.Bytes(entry->second.second);
  }
  out.Double(t.resolve.sum);
  out.Double(t.close.sum);
  EncodeDays(out, t.created_per_day);
  EncodeDays(out, t.closed_per_day);
  out.U64(t.facts.size());
  for (const auto* entry : SortedEntries(t.facts)) {
    out.Id(entry->first);
    EncodeList(out, entry->second, [&](const TicketFact& fact) {
      out.Double(fact.hours);
      out.I64(fact.closed_day);
      out.Bool(fact.closed);
    });
  }
}

bool DecodeTenant(BinaryReader& in, TenantAnalytics* t) {
  for (std::int64_t& n : t->by_status)
    if (!in.I64(&n)) return false;
  for (std::int64_t& n : t->open_by_priority)
    if (!in.I64(&n)) return false;
  std::size_t count = 0;
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    AssigneeLoad load;
    if (!in.Id(&load.assignee_id) || !in.I64(&load.open) || !in.I64(&load.in_progress) ||
        !in.I64(&load.resolved) || !in.I64(&load.closed))
      return false;
    t->per_assignee[load.assignee_id] = load;
  }
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    std::string name;
    std::int64_t n = 0;
    if (!in.Bytes(&name) || !in.I64(&n)) return false;
    t->categories[std::move(name)] = n;
  }
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    domain::Id id;
    domain::Timestamp since = 0;
    std::string number;
    if (!in.Id(&id) || !in.I64(&since) || !in.Bytes(&number)) return false;
    t->in_progress.insert({since, id});
    t->in_progress_since[id] = {since, std::move(number)};
  }
  if (!in.Double(&t->resolve.sum) || !in.Double(&t->close.sum) || !DecodeDays(in, &t->created_per_day) ||
      !DecodeDays(in, &t->closed_per_day) || !in.Count(&count))
    return false;
  t->facts.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    domain::Id id;
    TicketFacts f;
    if (!in.Id(&id) || !DecodeList(in, &f, [&](TicketFact* fact) {
          return in.Double(&fact->hours) && in.I64(&fact->closed_day) && in.Bool(&fact->closed);
        }))
      return false;
    for (const TicketFact& fact : f) (fact.closed ? t->close : t->resolve).hours.Insert(fact.hours);
    t->facts[id] = std::move(f);
  }
  return true;
}

}  // namespace

void AnalyticsReadModel::EncodeCanonical(BinaryWriter& out) const {
  impl_->tenants.ForEachSorted([&](const domain::Id& tenant_id, const TenantAnalytics& tenant) {
    out.Bool(true);  // one more tenant follows
    out.Id(tenant_id);
    EncodeTenant(out, tenant);
  });
  out.Bool(false);
}

bool AnalyticsReadModel::DecodeSnapshot(BinaryReader& in) {
  for (bool more = false;;) {
    if (!in.Bool(&more)) return false;
    if (!more) return true;
    domain::Id tenant_id;
    if (!in.Id(&tenant_id)) return false;
    bool ok = false;
    impl_->tenants.Write(tenant_id, [&](TenantAnalytics& tenant) { ok = DecodeTenant(in, &tenant); });
    if (!ok) return false;
  }
}

}  // namespace ticketd::projections
