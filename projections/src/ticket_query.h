// Executes one list query over one tenant's TicketIndex (under its shared
// lock): counts the matches and builds the page after the cursor.
//
// Plans, cheapest first:
//  - queue sort, filters only on status/priority: `total` from the queue
//    index's group sizes, the page by walking the selected groups from the
//    cursor: O(page), whatever the tenant's size;
//  - queue sort with other filters: count by scanning the smallest candidate
//    set, then walk the queue index checking each ticket, if the matches are
//    dense enough that the walk is short (bounded, with a fallback);
//  - any other sort: the same two plans over that sort's SortIndex, which
//    covers status filters (tenants under kSmallScan tickets just scan; a
//    missing index means the scan below, and RunTicketQuery returns true so
//    that the caller has it built in the background);
//  - otherwise: scan the smallest candidate set, keeping the page_size + 1
//    first keys after the cursor in a buffer pruned with nth_element (no
//    full sort).
// Every plan orders by the same keys (sort_key.h), so a cursor from one
// plan continues correctly under another.
#pragma once

#include "cursor.h"
#include "ticket_index.h"
#include "ticketd/projections/ticket_read_model.h"

namespace ticketd::projections {

// kScan forces the candidate scan: the reference the index plans are
// tested against.
enum class QueryPlan { kBest, kScan };

// `after` is the decoded cursor (null for the first page); `spec` normalized.
// True if the best plan needs spec's SortIndex and it is not built.
bool RunTicketQuery(const TicketIndex& index, const TicketQuery& query, const SortSpec& spec,
                    const CursorKey* after, TicketPage* page, QueryPlan plan = QueryPlan::kBest);

}  // namespace ticketd::projections
