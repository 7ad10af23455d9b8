// The upload path's all-or-nothing policy (app::StreamedFiles) over whole
// files, for the policy's unit tests: each file goes through Begin, Data in
// 64 KiB pieces and End, as a streamed multipart body delivers it, with its
// bytes staged in a real event log in a temp dir.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "temp_dir.h"
#include "ticketd/app/attachment_stream.h"

namespace ticketd::app::testing {

class StreamedIntake {
 public:
  StreamedIntake() {
    Status s = eventstore::EventLog::Open(eventstore::EventLogOptions{dir_.path()}, &log_);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }

  // Every file checked (bytes staged), or the request's first refusal.
  Result<std::vector<domain::NewAttachment>, AttachmentRefusal> Run(const AttachmentPolicy& policy,
                                                                    const std::vector<IncomingFile>& files) {
    constexpr std::size_t kPiece = 64 * 1024;
    StreamedFiles streamed(policy, *log_);
    for (const IncomingFile& file : files) {
      if (auto refused = streamed.Begin(file.filename)) return Err{*refused};
      for (std::size_t at = 0; at < file.bytes.size(); at += kPiece) {
        if (auto refused = streamed.Data(std::string_view(file.bytes).substr(at, kPiece))) return Err{*refused};
      }
      streamed.End();
    }
    EXPECT_TRUE(streamed.storage_status().ok()) << streamed.storage_status().ToString();
    return streamed.Take();
  }

 private:
  test_support::TempDir dir_{"streamed-intake"};
  std::unique_ptr<eventstore::EventLog> log_;
};

}  // namespace ticketd::app::testing
