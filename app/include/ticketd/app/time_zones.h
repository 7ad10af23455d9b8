// Real time zones for SLA calendars: a domain::ZoneClock per IANA name,
// backed by Howard Hinnant's date/tz over the system's tzdata (GCC 12 has
// no std::chrono tzdb). The domain never reads files; the shell hands it
// these. Thread-safe; clocks live as long as the process.
#pragma once

#include <string_view>

#include "ticketd/domain/business_calendar.h"

namespace ticketd::app {

// True if the system's tz database knows `name` ("Europe/Berlin", "UTC").
bool IsKnownTimeZone(std::string_view name);
// The clock of `name`; UTC for a name the database does not know (names are
// validated when a policy is saved, so that only happens for a tzdata that
// lost a zone).
const domain::ZoneClock& ZoneClockFor(std::string_view name);

}  // namespace ticketd::app
