#include "attachment_form.h"

#include "responses.h"
#include "ticketd/projections/json_writer.h"

namespace ticketd::api {

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
