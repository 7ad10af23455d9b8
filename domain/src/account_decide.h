// The sign-in commands' deciders and the directory-state side of their
// events; DecideDirectory and EvolveTenant (directory.cc) delegate here.
#pragma once

#include <vector>

#include "ticketd/domain/directory.h"

namespace ticketd::domain {

using AccountDecision = Result<std::vector<DomainEvent>, DomainError>;

AccountDecision DecideAccount(const TenantState& state, const SetPassword& c);
AccountDecision DecideAccount(const TenantState& state, const IssuePasswordReset& c);
AccountDecision DecideAccount(const TenantState& state, const ResetPassword& c);
AccountDecision DecideAccount(const TenantState& state, const StartSession& c);
AccountDecision DecideAccount(const TenantState& state, const RefreshSession& c);
AccountDecision DecideAccount(const TenantState& state, const EndSession& c);
AccountDecision DecideAccount(const TenantState& state, const UpdateUser& c);

// Folds an account event into the tenant (users' fields, then AccountState).
void EvolveTenantAccounts(TenantState& state, const DomainEvent& event, const AccountEvent& payload);

}  // namespace ticketd::domain
