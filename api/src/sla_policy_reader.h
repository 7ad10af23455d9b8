// The SLA policy body reader shared by the policy routes and simulate
// (handlers_sla.cc).
#pragma once

#include "call.h"
#include "json_body.h"
#include "ticketd/domain/sla.h"

namespace ticketd::api {

// Reads simulate's candidate `policy` object: the fields of POST
// /api/v1/sla-policies (name and order optional) checked as a saved policy
// would be; on a problem replies 400 naming "policy.<field>" and returns false.
bool ReadCandidatePolicy(const CallPtr& call, const JsonBody& body, domain::SlaPolicy* policy);

}  // namespace ticketd::api
