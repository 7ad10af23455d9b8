#include "mail_hold.h"

#include <algorithm>

namespace ticketd::app {

MailHold::Verdict MailHold::Decide(Clock::time_point now, bool saturated) {
  if (!saturated) {
    held_since_.reset();
    return {};
  }
  if (!held_since_) held_since_ = now;
  const Clock::time_point release_at = *held_since_ + bound_;
  if (now >= release_at) {
    // The mails due from here on became due after `now`: counting their
    // wait from now keeps them within the bound too.
    held_since_ = now;
    return {std::nullopt, true};
  }
  return {std::min(release_at, now + kRecheck), false};
}

}  // namespace ticketd::app
