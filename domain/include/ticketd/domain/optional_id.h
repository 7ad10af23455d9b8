// OptionalId: std::optional<Id>'s interface in 16 bytes instead of 17 (the
// "none" is the nil UUID, which no ticket, user, asset or catalog entry is
// ever given: the shell generates random v4 or name-derived ids, and the log
// already writes the nil id for "no actor" or "no parent"). Used for the
// optional ids held once per ticket (issue 12, RSS): five of them, with the
// padding their odd size forced, cost 96 bytes of every Ticket, now 80.
// Converts to and from std::optional<Id> implicitly, so callers and events
// keep using optionals (like OptionalTimestamp).
#pragma once

#include <optional>
#include <stdexcept>

#include "ticketd/domain/id.h"

namespace ticketd::domain {

class OptionalId {
 public:
  constexpr OptionalId() = default;
  constexpr OptionalId(std::nullopt_t) {}
  constexpr OptionalId(const Id& value) : value_(value) {}
  constexpr OptionalId(const std::optional<Id>& value) : value_(value ? *value : Id{}) {}
  operator std::optional<Id>() const { return has_value() ? std::optional<Id>(value_) : std::nullopt; }

  bool has_value() const { return !value_.IsNil(); }
  explicit operator bool() const { return has_value(); }
  const Id& operator*() const { return value_; }
  const Id* operator->() const { return &value_; }
  const Id& value() const {
    if (!has_value()) throw std::bad_optional_access();
    return value_;
  }
  Id value_or(const Id& fallback) const { return has_value() ? value_ : fallback; }
  void reset() { value_ = Id{}; }
  // std::optional's emplace() for a decoder that parses into the result
  // (`ParseId(text, &id.emplace())`); unlike std::optional's, the value
  // reads as none until its bytes are written non-nil.
  Id& emplace() {
    value_ = Id{};
    return value_;
  }

  friend bool operator==(const OptionalId&, const OptionalId&) = default;
  friend bool operator==(const OptionalId& a, std::nullopt_t) { return !a.has_value(); }
  friend bool operator==(const OptionalId& a, const Id& b) { return a.has_value() && a.value_ == b; }
  // Exact, so it wins over std::optional's templates (which would go
  // through the conversion).
  friend bool operator==(const OptionalId& a, const std::optional<Id>& b) { return a == OptionalId(b); }

 private:
  Id value_;  // nil: none
};

}  // namespace ticketd::domain
