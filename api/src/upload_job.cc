#include "upload_job.h"

#include <memory>

#include "attachment_form.h"
#include "bulk_read_pacer.h"
#include "multipart_parser.h"
#include "responses.h"
#include "ticketd/app/attachment_stream.h"
#include "ticketd/app/engine.h"
#include "ticketd/base/command_path_load.h"
#include "ticketd/projections/json_writer.h"

namespace ticketd::api {
namespace {

constexpr std::size_t kMaxTextBytes = 1 << 20;  // all text parts together: the JSON routes' limit

Response BodyTooLarge(std::size_t limit) {
  projections::JsonWriter details;
  details.BeginObject().Key("limit_bytes").Int(static_cast<std::int64_t>(limit)).EndObject();
  return ErrorResponse(http::status::payload_too_large, "PAYLOAD_TOO_LARGE",
                       "the request body is larger than the limit of " + std::to_string(limit) + " bytes",
                       details.Take());
}

// Whose stored bytes a file may reuse (a platform admin's call has no tenant).
std::optional<domain::Id> TenantOf(const Call& call) {
  if (call.actor.kind != domain::Actor::Kind::kUser) return std::nullopt;
  return call.actor.tenant_id;
}

// One upload: the parser, its sink and the files, alive while pieces arrive.
class UploadJob final : public PartSink, public std::enable_shared_from_this<UploadJob> {
 public:
  UploadJob(Services& services, CallPtr call, const app::AttachmentPolicy& policy, PasswordPool& workers,
            std::string boundary, UploadDone done)
      : call_(std::move(call)),
        load_(services.engine.command_path_load()),
        policy_(policy),
        workers_(workers),
        files_(policy, services.engine.log(), TenantOf(*call_)),
        parser_(boundary, *this),
        done_(std::move(done)) {}

  void Start() {
    if (call_->body) {
      socket_ = call_->body->Direct();
      return Pull();
    }
    // The session buffered the body (a client of the router itself): one piece.
    Submit(BodyPiece{std::move(call_->request.body()), BodyPiece::End::kLast, 0});
  }

  Status OnPartBegin(const PartHeaders& headers) override {
    in_file_ = headers.filename.has_value();
    if (!in_file_) {
      name_ = headers.name;
      text_.clear();
      return Status::Ok();
    }
    return Stop(files_.Begin(*headers.filename));
  }
  Status OnPartData(std::string_view bytes) override {
    if (in_file_) return Stop(files_.Data(bytes));
    text_bytes_ += bytes.size();
    if (text_bytes_ > kMaxTextBytes) return Status::InvalidArgument("the text fields are longer than 1 MiB");
    text_.append(bytes);
    return Status::Ok();
  }
  Status OnPartEnd() override {
    if (in_file_) {
      files_.End();
    } else {
      form_.fields[name_] = std::move(text_);
    }
    return Status::Ok();
  }

 private:
  Status Stop(std::optional<app::AttachmentRefusal> refusal) {
    if (!refusal) return Status::Ok();
    refusal_ = std::move(refusal);
    return Status::InvalidArgument("refused");
  }

  void Pull() {
    if (socket_ != nullptr) return ScheduleReads();
    call_->body->Read([self = shared_from_this()](BodyPiece&& piece) { self->Submit(std::move(piece)); });
  }

  // On the session's strand: the work goes to the attachment workers.
  void Submit(BodyPiece&& piece) {
    auto shared_piece = std::make_shared<BodyPiece>(std::move(piece));
    if (!workers_.TrySubmit([self = shared_from_this(), shared_piece] { self->OnPiece(std::move(*shared_piece)); }))
      Finish(Err{UploadsBusy()});
  }

  // A Content-Length body (SocketBody): the worker reads it itself, a few
  // pieces per turn, then goes to the back of the pool's queue so that ten
  // uploads on two workers take turns. With nothing to read it hands its
  // thread back and the session calls when the socket has bytes.
  void ScheduleReads() {
    if (!workers_.TrySubmit([self = shared_from_this()] { self->ReadTurn(); })) Finish(Err{UploadsBusy()});
  }

  void ReadTurn() {
    constexpr int kPiecesPerTurn = 4;  // 1 MiB
    using End = BodyPiece::End;
    for (int n = 0; n < kPiecesPerTurn; ++n) {
      // A recycled buffer keeps its full size: no allocation, no zeroing.
      std::string bytes = PieceBuffers::Take();
      bytes.resize(kBodyPieceBytes);
      std::size_t got = 0;
      const SocketBody::Got result = socket_->ReadSome(bytes.data(), bytes.size(), &got);
      bool wanted = false;
      if (result == SocketBody::Got::kBytes) {
        const End end = socket_->remaining() == 0 ? End::kLast : End::kMore;
        wanted = Consume(end, std::string_view(bytes.data(), got), 0);
      }
      PieceBuffers::Give(std::move(bytes));
      if (result == SocketBody::Got::kGone) Consume(End::kGone, {}, 0);
      if (result == SocketBody::Got::kWait) {
        return socket_->WhenReadable([self = shared_from_this()](bool readable) {
          if (readable) return self->ScheduleReads();
          self->Consume(End::kGone, {}, 0);
        });
      }
      if (!wanted) return;
      if (PausedAfter(got, [self = shared_from_this()] { self->ScheduleReads(); })) return;
    }
    ScheduleReads();
  }

  // Bulk-read pacing (bulk_read_pacer.h): after reading `bytes`, while the
  // command path is saturated, the job may have to wait before its next
  // read. It then holds no worker and does not read the socket: the session
  // runs `next` when the pause is over. True: paused.
  bool PausedAfter(std::size_t bytes, std::function<void()> next) {
    const auto now = BulkReadPacer::Clock::now();
    const auto wait = BulkReadPacer::Uploads().Charge(now, load_.Saturated(now), bytes);
    if (wait <= BulkReadPacer::Clock::duration::zero()) return false;
    call_->body->Pause(wait, [self = shared_from_this(), next = std::move(next)](bool alive) {
      if (alive) return next();
      self->Consume(BodyPiece::End::kGone, {}, 0);
    });
    return true;
  }

  // Parses one piece. True: more of the body is wanted.
  bool Consume(BodyPiece::End end, std::string_view bytes, std::size_t limit) {
    using End = BodyPiece::End;
    switch (end) {
      case End::kGone:
        return Finish(Err{ValidationError("body", "the connection closed before the body ended")});
      case End::kTooLarge:
        return Finish(Err{BodyTooLarge(limit)});
      case End::kMalformed:
        return Finish(Err{ValidationError("body", "the request body is not valid HTTP/1.1")});
      case End::kMore:
      case End::kLast:
        break;
    }
    Status status = parser_.Feed(bytes);
    if (status.ok() && end == End::kLast) status = parser_.Finish();
    if (refusal_) return Finish(Err{AttachmentRefusalResponse(*refusal_, policy_.limits())});
    if (!files_.storage_status().ok()) return Finish(Err{FromStatus(files_.storage_status())});
    if (!status.ok()) return Finish(Err{ValidationError("body", status.message())});
    if (end == End::kMore) return true;
    auto files = files_.Take();
    if (!files) return Finish(Err{AttachmentRefusalResponse(files.error(), policy_.limits())});
    if (!files_.storage_status().ok()) return Finish(Err{FromStatus(files_.storage_status())});
    form_.files = std::move(files.value());
    return Finish(std::move(form_));
  }

  // A piece the session read (Read, or the buffered body).
  void OnPiece(BodyPiece&& piece) {
    const bool wanted = Consume(piece.end, piece.bytes, piece.limit);
    const std::size_t bytes = piece.bytes.size();
    PieceBuffers::Give(std::move(piece.bytes));
    if (!wanted || (call_->body && PausedAfter(bytes, [self = shared_from_this()] { self->Pull(); }))) return;
    Pull();
  }

  // Always false: the body is wanted no more.
  bool Finish(Result<UploadForm, Response>&& result) {
    if (finished_) return false;
    finished_ = true;
    done_(std::move(result));
    return false;
  }

  CallPtr call_;
  const CommandPathLoad& load_;  // the writer's: paces the body reads while commands queue
  const app::AttachmentPolicy& policy_;
  PasswordPool& workers_;
  app::StreamedFiles files_;
  MultipartParser parser_;
  UploadDone done_;
  SocketBody* socket_ = nullptr;  // call_->body read by the worker itself, or null
  UploadForm form_;
  std::optional<app::AttachmentRefusal> refusal_;
  std::string name_;
  std::string text_;
  std::size_t text_bytes_ = 0;
  bool in_file_ = false;
  bool finished_ = false;
};

}  // namespace

Response UploadsBusy() {
  Response busy = ErrorResponse(http::status::service_unavailable, "UNAVAILABLE", "too many uploads at once; retry");
  busy.set(http::field::retry_after, "1");
  return busy;
}

void ReadUpload(Services& services, const CallPtr& call, const app::AttachmentPolicy& policy, PasswordPool& workers,
                UploadDone done) {
  auto type = call->request[http::field::content_type];
  std::optional<std::string> boundary = MultipartBoundary(std::string_view(type.data(), type.size()));
  if (!boundary) {
    return done(Err{ValidationError("body", "the body must be multipart/form-data with a boundary")});
  }
  std::make_shared<UploadJob>(services, call, policy, workers, *boundary, std::move(done))->Start();
}

}  // namespace ticketd::api
