// Shared helpers of the event log tests (gtest assertions inside).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "log_fixture.h"

namespace ticketd::eventstore::testing {

inline std::unique_ptr<EventLog> OpenLog(const std::string& path) {
  std::unique_ptr<EventLog> log;
  Status s = EventLog::Open(EventLogOptions{path}, &log);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return log;
}

// One commit alone in a batch: the batch's status if that failed, else the commit's.
inline Status AppendOne(EventLog& log, Commit commit, CommitOutcome* outcome = nullptr) {
  std::vector<CommitOutcome> outcomes;
  Status s = log.AppendBatch(std::span<const Commit>(&commit, 1), &outcomes);
  if (outcome) *outcome = outcomes.at(0);
  return s.ok() ? outcomes.at(0).status : s;
}

inline std::vector<std::uint64_t> AllPositions(const EventLog& log) {
  std::vector<std::uint64_t> positions;
  Status s = log.ReadAll(0, [&](const RecordedEvent& e) {
    positions.push_back(e.position);
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return positions;
}

}  // namespace ticketd::eventstore::testing
