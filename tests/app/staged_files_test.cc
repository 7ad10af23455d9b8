// Staged upload bytes belong to the command that carries them (Engine::Submit):
// a command that fails drops them at once, whatever route sent it, and one
// that succeeds adopts them. The engine runs on a real data dir.
#include <gtest/gtest.h>

#include <future>

#include "sample_files.h"
#include "temp_dir.h"
#include "ticketd/app/engine.h"
#include "ticketd/app/ids.h"
#include "ticketd/base/sha256.h"
#include "ticketd/eventstore/blob_staging.h"

namespace ticketd::app {
namespace {

class StagedFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions options;
    options.data_dir = dir_.path();
    options.sync = false;
    Status s = Engine::Open(options, nullptr, &engine_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    domain::CreateTenant tenant;
    tenant.actor = domain::Actor{.kind = domain::Actor::Kind::kPlatformAdmin};
    tenant.at = kNow;
    tenant.tenant_id = tenant_;
    tenant.name = "Staging Inc";
    ASSERT_TRUE(Run(domain::DirectoryCommand{tenant}).status.ok());
  }

  CommandOutcome Run(EngineCommand command) {
    std::promise<CommandOutcome> done;
    engine_->Submit(std::move(command), RandomId(), [&](CommandOutcome&& outcome) { done.set_value(std::move(outcome)); });
    return done.get_future().get();
  }

  // `bytes` staged as an upload stages them.
  domain::NewAttachment Staged(const std::string& bytes) {
    std::unique_ptr<eventstore::BlobStaging> staging;
    EXPECT_TRUE(engine_->log().StageBlob(&staging).ok());
    EXPECT_TRUE(staging->Append(bytes).ok());
    eventstore::StagedBlob staged;
    EXPECT_TRUE(staging->Finish(&staged).ok());
    return {RandomId(), "shot.png", "image/png", Sha256Hex(bytes), static_cast<std::int64_t>(bytes.size()), nullptr,
            staged.Encode()};
  }

  domain::CommandHeader Header(const domain::Id& ticket) {
    domain::Actor agent{.kind = domain::Actor::Kind::kUser, .user_id = user_, .tenant_id = tenant_,
                        .role = domain::Role::kAgent};
    return {agent, kNow, ticket, std::nullopt};
  }

  // A create that adopts `file`; the bytes the log then serves for it.
  Status CreateWith(const domain::NewAttachment& file, std::string* bytes) {
    domain::CreateTicket create;
    create.header = Header(RandomId());
    create.subject = "s";
    create.description = "d";
    create.attachments = {file};
    CommandOutcome created = Run(domain::TicketCommand{create});
    EXPECT_TRUE(created.status.ok() && !created.error);
    return engine_->log().ReadBlob(tenant_, file.sha256, bytes);
  }

  static constexpr domain::Timestamp kNow = 1'700'000'000'000'000;
  test_support::TempDir dir_{"staged-files"};
  domain::Id tenant_ = RandomId();
  domain::Id user_ = RandomId();
  std::unique_ptr<Engine> engine_;
};

TEST_F(StagedFilesTest, ACommandThatFailsDropsItsStagedBytesAndOneThatSucceedsAdoptsThem) {
  const std::string dropped_bytes = test_support::SamplePng("refused with its command");
  const domain::NewAttachment dropped = Staged(dropped_bytes);
  domain::AttachFiles to_nowhere;
  to_nowhere.header = Header(RandomId());  // no such ticket: the domain refuses
  to_nowhere.files = {dropped};
  CommandOutcome refused = Run(domain::TicketCommand{to_nowhere});
  ASSERT_TRUE(refused.error.has_value());

  // A later command naming the same staging adopts nothing: its chunks are gone.
  std::string bytes;
  Status read = CreateWith(dropped, &bytes);
  EXPECT_TRUE(read.IsNotFound()) << "the refused command's staged bytes survived it: " << read.ToString();

  const std::string kept_bytes = test_support::SamplePng("adopted by its command");
  ASSERT_TRUE(CreateWith(Staged(kept_bytes), &bytes).ok());
  EXPECT_EQ(bytes, kept_bytes);
}

}  // namespace
}  // namespace ticketd::app
