#include "attachment_form.h"

#include "multipart_parser.h"
#include "responses.h"
#include "ticketd/projections/json_writer.h"

namespace ticketd::api {
namespace {

constexpr std::size_t kMaxTextFieldBytes = 1 << 20;

class FormSink : public PartSink {
 public:
  explicit FormSink(const app::AttachmentLimits& limits) : limits_(limits) {}

  Status OnPartBegin(const PartHeaders& headers) override {
    name_ = headers.name;
    in_file_ = headers.filename.has_value();
    if (!in_file_) {
      text_.clear();
      return Status::Ok();
    }
    if (form.files.size() >= limits_.max_files) return Refuse({app::AttachmentRefusal::Kind::kTooManyFiles, {}, ""});
    form.files.push_back({*headers.filename, {}});
    return Status::Ok();
  }
  Status OnPartData(std::string_view bytes) override {
    if (!in_file_) {
      if (text_.size() + bytes.size() > kMaxTextFieldBytes) return Status::InvalidArgument("a text field is too long");
      text_.append(bytes);
      return Status::Ok();
    }
    app::IncomingFile& file = form.files.back();
    if (file.bytes.size() + bytes.size() > limits_.max_file_bytes) {
      auto name = app::NormalizeAttachmentFilename(file.filename, limits_);
      return Refuse({app::AttachmentRefusal::Kind::kFileTooLarge, name ? name.value() : file.filename, ""});
    }
    file.bytes.append(bytes);
    return Status::Ok();
  }
  Status OnPartEnd() override {
    if (!in_file_) {
      form.fields[name_] = std::move(text_);
    } else if (form.files.back().filename.empty() && form.files.back().bytes.empty()) {
      form.files.pop_back();  // a browser's empty file input
    }
    return Status::Ok();
  }

  AttachmentForm form;
  std::optional<app::AttachmentRefusal> refusal;

 private:
  Status Refuse(app::AttachmentRefusal why) {
    refusal = std::move(why);
    return Status::InvalidArgument("refused");
  }
  const app::AttachmentLimits& limits_;
  std::string name_;
  std::string text_;
  bool in_file_ = false;
};

}  // namespace

Result<AttachmentForm, Response> ReadAttachmentForm(const Request& request, const app::AttachmentLimits& limits) {
  auto type = request[http::field::content_type];
  std::optional<std::string> boundary = MultipartBoundary(std::string_view(type.data(), type.size()));
  if (!boundary) return Err{ValidationError("body", "the body must be multipart/form-data with a boundary")};
  FormSink sink(limits);
  MultipartParser parser(*boundary, sink);
  Status status = parser.Feed(request.body());
  if (status.ok()) status = parser.Finish();
  if (sink.refusal) return Err{AttachmentRefusalResponse(*sink.refusal, limits)};
  if (!status.ok()) return Err{ValidationError("body", status.message())};
  return std::move(sink.form);
}

Response AttachmentRefusalResponse(const app::AttachmentRefusal& refusal, const app::AttachmentLimits& limits) {
  using Kind = app::AttachmentRefusal::Kind;
  projections::JsonWriter details;
  details.BeginObject();
  switch (refusal.kind) {
    case Kind::kTooManyFiles:
      details.Key("limit").Int(static_cast<std::int64_t>(limits.max_files)).EndObject();
      return ErrorResponse(http::status::bad_request, "TOO_MANY_FILES",
                           "at most " + std::to_string(limits.max_files) + " files per request", details.Take());
    case Kind::kInvalidFilename:
      details.Key("field").String("filename").Key("filename").String(refusal.filename).EndObject();
      return ErrorResponse(http::status::bad_request, "VALIDATION_ERROR", refusal.detail, details.Take());
    case Kind::kFileTooLarge:
      details.Key("filename").String(refusal.filename).Key("limit").Int(static_cast<std::int64_t>(limits.max_file_bytes));
      details.EndObject();
      return ErrorResponse(http::status::payload_too_large, "FILE_TOO_LARGE",
                           "a file is larger than " + std::to_string(limits.max_file_bytes) + " bytes", details.Take());
    case Kind::kUnsupportedType:
      details.Key("filename").String(refusal.filename).Key("detected").String(refusal.detail).EndObject();
      return ErrorResponse(http::status::unsupported_media_type, "UNSUPPORTED_MEDIA_TYPE",
                           "only PNG, JPEG, GIF, WebP, HEIC images and PDF documents may be attached", details.Take());
    case Kind::kMalware:
      details.Key("filename").String(refusal.filename).Key("signature").String(refusal.detail).EndObject();
      return ErrorResponse(http::status::unprocessable_entity, "MALWARE_DETECTED", "the malware scanner refused a file",
                           details.Take());
    case Kind::kScannerUnavailable: {
      Response response = ErrorResponse(http::status::service_unavailable, "UNAVAILABLE",
                                        "the malware scanner is unavailable; retry later");
      response.set(http::field::retry_after, "5");
      return response;
    }
  }
  return ErrorResponse(http::status::bad_request, "VALIDATION_ERROR", "the files were refused");
}

}  // namespace ticketd::api
