#include "mail_hold.h"

#include <algorithm>

namespace ticketd::app {

MailHold::Verdict MailHold::Decide(Clock::time_point now, bool saturated, Clock::duration oldest_waited) {
  if (!saturated) {
    held_since_.reset();
    return {};
  }
  if (!held_since_) held_since_ = now;
  const Clock::duration waited = std::max(oldest_waited, now - *held_since_);
  if (waited >= bound_) {
    // The mails due from here on became due after `now`: counting this
    // hold from now keeps them within the bound too.
    held_since_ = now;
    return {std::nullopt, true};
  }
  return {now + std::min(bound_ - waited, kRecheck), false};
}

}  // namespace ticketd::app
