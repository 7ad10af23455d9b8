// projections_bench: loads N tickets into one tenant and prints the server
// time of typical queue and search queries, plus the process RSS.
// Usage: projections_bench [tickets=1000000 [sort...]]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <malloc.h>
#include <random>
#include <string>
#include <thread>

#include "ticket_builders.h"

using namespace ticketd;
using namespace ticketd::projections;
using namespace ticketd::projections::testing;

namespace {

long RssKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

// Bytes in use on the heap (exact, unlike RSS: no allocator slack).
double HeapBytes() { return static_cast<double>(mallinfo2().uordblks); }

template <class Fn>
void Measure(const char* name, int runs, Fn fn) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    fn(i);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("projections_bench: %-34s p50 %8.3f ms  p99 %8.3f ms\n", name, ms[ms.size() / 2],
              ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]);
}

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

struct Churn {
  int writes = 0;
  double write_max = 0, query_max = 0;
};

// The writer (as in ticketd) updating tickets and listing the queue until `done`.
Churn ChurnUntil(TicketReadModel& model, std::vector<TicketPtr>& views, std::mt19937& rng,
                 const std::atomic<bool>& done) {
  Churn churn;
  TicketQuery queue;
  queue.statuses = {domain::TicketStatus::kOpen};
  TicketPage queue_page;
  while (!done.load()) {
    TicketPtr& view = views[rng() % views.size()];
    domain::Ticket changed = *view;
    changed.updated_at += 1'000'000'000;
    view = Ptr(std::move(changed));
    auto t = std::chrono::steady_clock::now();
    model.Upsert(view);
    churn.write_max = std::max(churn.write_max, MsSince(t));
    t = std::chrono::steady_clock::now();
    (void)model.Query(kTenantA, queue, &queue_page);
    churn.query_max = std::max(churn.query_max, MsSince(t));
    ++churn.writes;
  }
  return churn;
}

// The same churn for `seconds` with no build running: this box's noise floor.
void ChurnAlone(TicketReadModel& model, std::vector<TicketPtr>& views, std::mt19937& rng, int seconds) {
  std::atomic<bool> done{false};
  Churn churn;
  std::thread writer([&] { churn = ChurnUntil(model, views, rng, done); });
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  done = true;
  writer.join();
  std::printf("projections_bench: no build running, %d s: %d updates (max %.2f ms) and queue pages (max %.2f ms)\n",
              seconds, churn.writes, churn.write_max, churn.query_max);
}

// The first query of a sort scans and starts its index's background build;
// while it runs, another thread updates tickets and lists the queue:
// neither should wait for the build.
void FirstQueryAndBuild(TicketReadModel& model, const TicketQuery& q, const std::string& name,
                        std::vector<TicketPtr>& views, std::mt19937& rng) {
  TicketPage page;
  const auto start = std::chrono::steady_clock::now();
  (void)model.Query(kTenantA, q, &page);
  const double first_ms = MsSince(start);
  std::atomic<bool> built{false};
  Churn churn;
  std::thread writer([&] { churn = ChurnUntil(model, views, rng, built); });
  model.WaitForSortIndexes();
  const double build_ms = MsSince(start);
  built = true;
  writer.join();
  std::printf("projections_bench: %-34s first query (scan) %6.1f ms; index built in the background in %7.1f ms, "
              "meanwhile %d updates (max %.2f ms) and queue pages (max %.2f ms)\n",
              name.c_str(), first_ms, build_ms, churn.writes, churn.write_max, churn.query_max);
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint32_t count = argc > 1 ? static_cast<std::uint32_t>(std::atoi(argv[1])) : 1'000'000;
  const char* words[] = {"printer", "vpn",     "laptop",   "screen", "password",
                         "email",   "network", "keyboard", "badge",  "wifi"};
  std::mt19937 rng(42);
  TicketReadModel model;
  const double heap_start = HeapBytes();
  std::vector<TicketPtr> views;  // the ticket objects, shared with the write side in ticketd
  views.reserve(count);
  for (std::uint32_t n = 1; n <= count; ++n) {
    domain::Ticket t = MakeTicket(n);
    // Realistic mix: most tickets are closed, a queue of open work remains.
    unsigned r = rng() % 100;
    t.status = r < 70   ? domain::TicketStatus::kClosed
               : r < 85 ? domain::TicketStatus::kOpen
               : r < 95 ? domain::TicketStatus::kInProgress
                        : domain::TicketStatus::kResolved;
    t.priority = domain::kAllPriorities[rng() % 4];
    if (rng() % 3) t.assignee_id = Tid(rng() % 50);
    t.reporter_id = Tid(1000 + rng() % 5000);
    if (rng() % 2) t.due_at = t.created_at + static_cast<domain::Timestamp>(rng() % 1000) * 1'000'000'000;
    t.subject = std::string(words[rng() % 10]) + " " + words[rng() % 10] + " issue " + std::to_string(n);
    t.description = std::string("User reports the ") + words[rng() % 10] + " fails after update";
    views.push_back(Ptr(std::move(t)));
  }
  const double heap_views = HeapBytes();
  auto start = std::chrono::steady_clock::now();
  for (const TicketPtr& view : views) model.Upsert(view);
  double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("projections_bench: loaded %u tickets in %.2f s (%.0f upserts/s), RSS %.0f MiB\n", count,
              load_s, count / load_s, RssKiB() / 1024.0);
  const double heap_model = HeapBytes();
  TicketPage page;
  TicketQuery open_queue;
  open_queue.statuses = {domain::TicketStatus::kOpen, domain::TicketStatus::kInProgress};
  Measure("queue page status=open,in_progress", 50,
          [&](int) { (void)model.Query(kTenantA, open_queue, &page); });
  TicketQuery mine;
  mine.assignees = {Tid(7)};
  mine.statuses = {domain::TicketStatus::kOpen};
  Measure("queue page assignee+status", 50, [&](int) { (void)model.Query(kTenantA, mine, &page); });
  TicketQuery all;
  Measure("unfiltered queue page", 20, [&](int) { (void)model.Query(kTenantA, all, &page); });
  TicketQuery text;
  text.text = "printer vpn";
  Measure("full text 'printer vpn'", 20, [&](int) { (void)model.Query(kTenantA, text, &page); });
  // Every non-queue sort, both directions, unfiltered and with status=open;
  // the second page through the cursor as well (issue 16).
  ChurnAlone(model, views, rng, 3);
  const std::vector<std::string> only(argv + std::min(argc, 2), argv + argc);  // optional: just these sorts
  for (const char* sort : {"created_at", "-created_at", "updated_at", "-updated_at", "due_at", "-due_at",
                           "priority", "-priority", "number", "-number", "status", "-status", "subject",
                           "-subject"}) {
    if (!only.empty() && std::find(only.begin(), only.end(), sort) == only.end()) continue;
    for (bool open : {false, true}) {
      TicketQuery q;
      q.sort = *ParseSort(sort);
      if (open) q.statuses = {domain::TicketStatus::kOpen};
      const std::string name = std::string("sort=") + sort + (open ? "&status=open" : "");
      if (!open) FirstQueryAndBuild(model, q, name, views, rng);
      Measure(name.c_str(), 20, [&](int i) {
        q.cursor = i % 2 ? page.next_cursor : std::string();
        (void)model.Query(kTenantA, q, &page);
      });
    }
  }
  std::printf("projections_bench: RSS after the queries %.0f MiB\n", RssKiB() / 1024.0);
  std::printf("projections_bench: heap per ticket: ticket objects %.0f B, read model %.0f B, "
              "+ the 14 sort indexes %.0f B\n",
              (heap_views - heap_start) / count, (heap_model - heap_views) / count,
              (HeapBytes() - heap_model) / count);
  return 0;
}
