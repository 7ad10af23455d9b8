#include "inbound_mail_files.h"

namespace ticketd::api {

MailFiles CheckMailFiles(const app::AttachmentPolicy& policy, std::vector<app::IncomingFile> files) {
  using Kind = app::AttachmentRefusal::Kind;
  MailFiles out;
  for (app::IncomingFile& file : files) {
    if (out.accepted.size() >= policy.limits().max_files) {
      std::string name = file.filename;
      if (auto normalized = app::NormalizeAttachmentFilename(file.filename, policy.limits())) name = normalized.value();
      out.skipped.push_back({app::AttachmentRefusal{Kind::kTooManyFiles, std::move(name), ""}});
      continue;
    }
    auto checked = policy.CheckFile(std::move(file));
    if (checked) {
      out.accepted.push_back(std::move(checked.value()));
    } else if (checked.error().kind == Kind::kScannerUnavailable) {
      out.scanner_unavailable = true;
      return out;
    } else {
      out.skipped.push_back({checked.error()});
    }
  }
  return out;
}

void WriteSkipped(projections::JsonWriter& json, const std::vector<SkippedPart>& skipped,
                  const app::AttachmentLimits& limits) {
  using Kind = app::AttachmentRefusal::Kind;
  json.BeginArray();
  for (const SkippedPart& part : skipped) {
    const app::AttachmentRefusal& r = part.refusal;
    json.BeginObject().Key("filename").String(r.filename).Key("code");
    switch (r.kind) {
      case Kind::kTooManyFiles:
        json.String("TOO_MANY_FILES").Key("limit").Int(static_cast<std::int64_t>(limits.max_files));
        break;
      case Kind::kInvalidFilename:
        json.String("VALIDATION_ERROR").Key("message").String(r.detail);
        break;
      case Kind::kFileTooLarge:
        json.String("FILE_TOO_LARGE").Key("limit").Int(static_cast<std::int64_t>(limits.max_file_bytes));
        break;
      case Kind::kUnsupportedType:
        json.String("UNSUPPORTED_MEDIA_TYPE").Key("detected").String(r.detail);
        break;
      case Kind::kMalware:
        json.String("MALWARE_DETECTED").Key("signature").String(r.detail);
        break;
      case Kind::kScannerUnavailable:  // refuses the whole mail (CheckMailFiles): never listed
        json.String("UNAVAILABLE");
        break;
    }
    json.EndObject();
  }
  json.EndArray();
}

}  // namespace ticketd::api
