// The sign-in commands' deciders and the directory-state side of their
// events; DecideDirectory and EvolveTenant (directory.cc) delegate here.
#pragma once

#include <vector>

#include "directory_rules.h"
#include "ticketd/domain/directory.h"

namespace ticketd::domain {

DirectoryDecision DecideAccount(const TenantState& state, const SetPassword& c);
DirectoryDecision DecideAccount(const TenantState& state, const IssuePasswordReset& c);
DirectoryDecision DecideAccount(const TenantState& state, const ResetPassword& c);
DirectoryDecision DecideAccount(const TenantState& state, const StartSession& c);
DirectoryDecision DecideAccount(const TenantState& state, const RefreshSession& c);
DirectoryDecision DecideAccount(const TenantState& state, const EndSession& c);
DirectoryDecision DecideAccount(const TenantState& state, const UpdateUser& c);

// Folds an account event into the tenant (users' fields, then AccountState).
void EvolveTenantAccounts(TenantState& state, const DomainEvent& event, const AccountEvent& payload);

}  // namespace ticketd::domain
