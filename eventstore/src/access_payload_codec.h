// The access events (issue 11: permission groups, settings, licences, quota
// alerts, API keys) <-> their EventEnvelope oneof fields (60-79). Called by
// payload_codec.cc; kept apart so the ticket and directory mappings stay short.
#pragma once

#include "ticketd/domain/events.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

void EncodeAccess(const domain::PermissionGroupCreated& e, v1::EventEnvelope* env);
void EncodeAccess(const domain::PermissionGroupMemberAdded& e, v1::EventEnvelope* env);
void EncodeAccess(const domain::PermissionGroupMemberRemoved& e, v1::EventEnvelope* env);
void EncodeAccess(const domain::SettingsChanged& e, v1::EventEnvelope* env);
void EncodeAccess(const domain::LicenseChanged& e, v1::EventEnvelope* env);
void EncodeAccess(const domain::QuotaAlertRaised& e, v1::EventEnvelope* env);
void EncodeAccess(const domain::ApiKeyCreated& e, v1::EventEnvelope* env);
void EncodeAccess(const domain::ApiKeyRevoked& e, v1::EventEnvelope* env);
void EncodeAccess(const domain::ApiKeyUsage& e, v1::EventEnvelope* env);

// True if the envelope holds an access payload (decoded into *payload, or
// *ok = false when a name, id or hash is malformed); false for other payloads.
bool DecodeAccess(const v1::EventEnvelope& env, domain::EventPayload* payload, bool* ok);

}  // namespace ticketd::eventstore
