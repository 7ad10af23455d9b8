// Attachments (ATTACHMENTS.md): upload to a ticket, list a ticket's
// attachments, download one. The policy (sniffing, clamd) runs on a small
// worker pool, never on an HTTP thread or the engine's writer; the bytes
// then travel with the AttachFiles command into the log's atomic write.
// An attachment's id is its attachment.added event's id, so a download
// finds its metadata in the log (FindEvent) and its bytes by (tenant, sha256).
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>

#include "multipart_parser.h"

#include "attachment_form.h"
#include "bulk_read_pacer.h"
#include "upload_job.h"
#include "ticketd/app/attachment_stream.h"
#include "handler_support.h"
#include "handlers_attachments.h"
#include "password_pool.h"
#include "responses.h"
#include "ticketd/app/engine.h"
#include "ticketd/app/ids.h"
#include "ticketd/domain/permissions.h"
#include "ticketd/domain/time.h"

namespace ticketd::api {
namespace {

using projections::JsonWriter;

struct Intake {
  explicit Intake(app::AttachmentPolicy p) : policy(std::move(p)) {}
  app::AttachmentPolicy policy;
  PasswordPool workers{2, 64, "ticketd-upload"};  // a generic bounded pool; 64 queued checks at most
};

Intake& IntakeInstance(std::string clamd_socket = {}, bool configure = false) {
  static std::unique_ptr<Intake> intake;
  static std::once_flag once;
  if (configure) intake = std::make_unique<Intake>(app::AttachmentPolicy({}, std::move(clamd_socket)));
  std::call_once(once, [] {
    if (!intake) intake = std::make_unique<Intake>(app::AttachmentPolicy());
  });
  return *intake;
}

void WriteAttachment(JsonWriter& json, const domain::DomainEvent& event, const domain::AttachmentAdded& added) {
  json.BeginObject();
  json.Key("id").String(added.attachment_id.ToString());
  json.Key("ticket_id").String(event.stream_id.ToString());
  json.Key("comment_id");
  if (added.comment_id) json.String(added.comment_id->ToString()); else json.Null();
  json.Key("filename").String(added.filename);
  json.Key("content_type").String(added.content_type);
  json.Key("size").Int(added.size);
  json.Key("sha256").String(added.sha256);
  json.Key("uploaded_by").String(event.actor_id.ToString());
  json.Key("internal").Bool(added.internal);
  json.Key("created_at").String(domain::FormatRfc3339(event.at));
  json.EndObject();
}

// The live ticket if the caller may read it; replies 404 otherwise.
projections::TicketPtr ReadableTicket(Services& services, const CallPtr& call, const domain::Id& ticket_id) {
  projections::TicketPtr ticket = services.engine.tickets().Get(call->actor.tenant_id, ticket_id);
  if (!ticket || !domain::CanReadTicket(call->actor, *ticket)) {
    call->Reply(NotFound("no such ticket"));
    return nullptr;
  }
  return ticket;
}

// Submits the checked files; answers 201 {items}. A failed command drops
// their staged bytes (Engine::Submit).
void SubmitFiles(Services& services, const CallPtr& call, domain::AttachFiles command,
                 std::vector<domain::NewAttachment> files) {
  command.files = std::move(files);
  services.engine.Submit(std::move(command), call->correlation_id, [call](app::CommandOutcome&& outcome) {
    if (ReplyIfFailed(call, outcome)) return;
    JsonWriter json;
    json.BeginObject().Key("items").BeginArray();
    for (const domain::DomainEvent& event : outcome.events) {
      if (const auto* added = std::get_if<domain::AttachmentAdded>(&event.payload)) WriteAttachment(json, event, *added);
    }
    json.EndArray().EndObject();
    call->Reply(JsonResponse(http::status::created, json.Take()));
  });
}

std::string RenderPacing(const BulkReadPacer::Stats& stats) {
  char text[768];
  std::snprintf(text, sizeof text,
                "# HELP ticketd_upload_paced_pauses_total Upload body reads held back while the command path was saturated.\n"
                "# TYPE ticketd_upload_paced_pauses_total counter\n"
                "ticketd_upload_paced_pauses_total %llu\n"
                "# HELP ticketd_upload_paced_seconds_total Time upload body reads were held back, summed over uploads.\n"
                "# TYPE ticketd_upload_paced_seconds_total counter\n"
                "ticketd_upload_paced_seconds_total %.3f\n"
                "# HELP ticketd_upload_paced_bytes_total Upload body bytes read while the command path was saturated.\n"
                "# TYPE ticketd_upload_paced_bytes_total counter\n"
                "ticketd_upload_paced_bytes_total %llu\n",
                static_cast<unsigned long long>(stats.pauses), static_cast<double>(stats.paused_ns) / 1e9,
                static_cast<unsigned long long>(stats.paced_bytes));
  return text;
}

}  // namespace

PendingFiles::~PendingFiles() {
  if (log != nullptr) app::DropStagedFiles(*log, files);
}

void ConfigureAttachments(std::string clamd_socket, std::uint64_t upload_floor_bytes_per_second, app::Metrics& metrics) {
  IntakeInstance(std::move(clamd_socket), true);
  BulkReadPacer& pacer = BulkReadPacer::Uploads();  // process-wide: the source never dangles
  pacer.set_floor(upload_floor_bytes_per_second);
  metrics.AddTextSource([&pacer] { return RenderPacing(pacer.stats()); });
}

void RunAttachmentIntake(const CallPtr& call, std::function<void(const app::AttachmentPolicy&)> job) {
  Intake& intake = IntakeInstance();
  if (intake.workers.TrySubmit([&intake, job = std::move(job)] { job(intake.policy); })) return;
  call->Reply(UploadsBusy());
}

void HandleUploadAttachments(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  std::optional<domain::Id> ticket_id = PathId(call);
  if (!ticket_id) return;
  if (!ReadableTicket(services, call, *ticket_id)) return;
  Intake& intake = IntakeInstance();
  domain::AttachFiles command;
  command.header = MakeHeader(call, *ticket_id);
  // The body is parsed, hashed, sniffed, scanned and staged as it arrives,
  // on the intake's workers (upload_job.h).
  ReadUpload(services, call, intake.policy, intake.workers,
             [&services, call, command = std::move(command)](Result<UploadForm, Response>&& form) mutable {
               if (!form) return call->Reply(Response(form.error()));
               if (form->files.empty()) return call->Reply(ValidationError("file", "at least one `file` part is required"));
               SubmitFiles(services, call, std::move(command), std::move(form->files));
             });
}

bool IsMultipartForm(const Call& call) {
  auto type = call.request[http::field::content_type];
  return MultipartBoundary(std::string_view(type.data(), type.size())).has_value();
}

void HandleMultipartForm(Services& services, const CallPtr& call, HandlerFn next) {
  Intake& intake = IntakeInstance();
  ReadUpload(services, call, intake.policy, intake.workers, [&services, call, next](Result<UploadForm, Response>&& form) {
    if (!form) return call->Reply(Response(form.error()));
    // The text parts become the JSON body the route reads (it names bad fields).
    JsonWriter json;
    json.BeginObject();
    for (const auto& [name, value] : form->fields) {
      json.Key(name);
      if (name == "internal" && (value == "true" || value == "false")) {
        json.Bool(value == "true");
      } else {
        json.String(value);
      }
    }
    json.EndObject();
    // The route takes the files into its command (the engine drops them if
    // it fails); files it never submits are dropped with the call.
    call->attachments.log = &services.engine.log();
    call->attachments.files = std::move(form->files);
    call->request.body() = json.Take();
    call->request.set(http::field::content_type, "application/json");
    call->request.prepare_payload();
    next(services, call);
  });
}

void AddAttachmentsArray(Response& response, const std::vector<domain::DomainEvent>& events) {
  JsonWriter json;
  bool any = false;
  json.BeginArray();
  for (const domain::DomainEvent& event : events) {
    if (const auto* added = std::get_if<domain::AttachmentAdded>(&event.payload)) {
      WriteAttachment(json, event, *added);
      any = true;
    }
  }
  json.EndArray();
  std::string& body = response.body();
  if (!any || body.empty() || body.back() != '}') return;
  body.pop_back();
  body += ",\"attachments\":";
  body += json.Take();
  body += '}';
}

void HandleListAttachments(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  std::optional<domain::Id> ticket_id = PathId(call);
  if (!ticket_id) return;
  projections::TicketPtr ticket = ReadableTicket(services, call, *ticket_id);
  if (!ticket) return;
  std::vector<eventstore::RecordedEvent> events;
  Status s = services.engine.log().ReadStream({ticket->tenant_id, ticket->id}, &events);
  if (!s.ok()) return call->Reply(FromStatus(s));
  const bool internal = domain::CanSeeInternalComments(call->actor);
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  for (const auto& recorded : events) {
    const auto* added = std::get_if<domain::AttachmentAdded>(&recorded.event.payload);
    if (added && (internal || !added->internal)) WriteAttachment(json, recorded.event, *added);
  }
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

void HandleDownloadAttachment(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  std::optional<domain::Id> id = PathId(call);
  if (!id) return;
  eventstore::EventLog& log = services.engine.log();
  std::uint64_t position = 0;
  if (!log.FindEvent(*id, &position).ok()) return call->Reply(NotFound("no such attachment"));
  std::optional<eventstore::RecordedEvent> found;
  Status s = log.ReadAll(position, [&](const eventstore::RecordedEvent& recorded) {
    found = recorded;
    return false;
  });
  if (!s.ok()) return call->Reply(FromStatus(s));
  const auto* added = found ? std::get_if<domain::AttachmentAdded>(&found->event.payload) : nullptr;
  if (!added || found->event.tenant_id != call->actor.tenant_id) return call->Reply(NotFound("no such attachment"));
  projections::TicketPtr ticket = services.engine.tickets().Get(call->actor.tenant_id, found->event.stream_id);
  const bool visible = ticket && !ticket->erased_at && domain::CanReadTicket(call->actor, *ticket) &&
                       (!added->internal || domain::CanSeeInternalComments(call->actor));
  if (!visible) return call->Reply(NotFound("no such attachment"));
  // The bytes: the reporter, IT staff and admins; a manager may list them only.
  if (ticket->reporter_id != call->actor.user_id && !domain::Can(call->actor, domain::Permission::kTicketsManage))
    return call->Reply(Forbidden("only the reporter, IT staff and admins may download attachments"));
  std::string bytes;
  s = log.ReadBlob(call->actor.tenant_id, added->sha256, &bytes);
  if (s.IsNotFound()) return call->Reply(NotFound("no such attachment"));
  if (!s.ok()) return call->Reply(FromStatus(s));
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, added->content_type);
  response.set(http::field::content_disposition, "attachment; filename*=UTF-8''" + PercentEncodeFilename(added->filename));
  response.set("X-Content-Type-Options", "nosniff");
  response.set(http::field::etag, "\"" + added->sha256 + "\"");
  response.set(http::field::cache_control, "private, no-store");
  response.body() = std::move(bytes);
  call->Reply(std::move(response));
}

void HandleAdminStorage(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kSettingsManage)) return;
  const projections::StorageUsage usage = services.engine.attachment_storage().Usage(call->actor.tenant_id);
  JsonWriter json;
  json.BeginObject();
  json.Key("attachments").Int(usage.attachments);
  json.Key("blobs").Int(usage.blobs);
  json.Key("blob_bytes").Int(usage.blob_bytes);
  json.EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

std::string PercentEncodeFilename(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : name) {
    const bool attr_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (attr_char) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace ticketd::api
