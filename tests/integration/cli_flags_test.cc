// Every command line (ticketd, ticketd backup, each ticket-replay subcommand)
// refuses an unknown flag or a malformed value with exit code 2 and a message
// naming the flag, and answers --help with exit code 0 and its flags. The
// real binaries, run through the shell.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api_fixture.h"
#include "cli_runner.h"

namespace ticketd::integration {
namespace {

constexpr char kTicketId[] = "0191e0a0-0000-7000-8000-000000000000";

struct Case {
  std::string args;          // after the binary
  std::string named;         // what the message must name
};

::testing::AssertionResult RefusedWithMessage(const std::string& binary, const Case& c) {
  CliResult result = RunCli(binary, c.args);
  if (result.exit_code != 2)
    return ::testing::AssertionFailure() << "`" << c.args << "` exited " << result.exit_code << "; stderr: "
                                         << result.err;
  if (result.err.find(c.named) == std::string::npos)
    return ::testing::AssertionFailure() << "`" << c.args << "`: stderr does not name " << c.named << ": "
                                         << result.err;
  if (!result.out.empty())
    return ::testing::AssertionFailure() << "`" << c.args << "` printed on stdout: " << result.out;
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult HelpLists(const std::string& binary, const std::string& args,
                                     const std::vector<std::string>& flags) {
  CliResult result = RunCli(binary, args);
  if (result.exit_code != 0)
    return ::testing::AssertionFailure() << "`" << args << "` exited " << result.exit_code << ": " << result.err;
  for (const std::string& flag : flags)
    if (result.out.find(flag) == std::string::npos)
      return ::testing::AssertionFailure() << "`" << args << "` does not list " << flag << ": " << result.out;
  return ::testing::AssertionSuccess();
}

TEST(CliFlags, TicketReplayRefusesUnknownFlagsOnEverySubcommand) {
  for (const Case& c : std::vector<Case>{
           {"verify --data-dir /tmp --frobnicate yes", "--frobnicate"},
           {"history --data-dir /tmp --ticket " + std::string(kTicketId) + " --asof 2026-01-01T00:00:00Z", "--asof"},
           {"export --data-dir /tmp --form 3", "--form"},
           {"read-models --data-dir /tmp --verbose", "--verbose"},
           {"consume --brokers 127.0.0.1:9 --grup g", "--grup"},
           {"verify --data-dir /tmp --ticket " + std::string(kTicketId), "--ticket"},  // history's flag
           {"verify --data-dir /tmp stray", "stray"},
           {"frobnicate --data-dir /tmp", "frobnicate"},
       })
    EXPECT_TRUE(RefusedWithMessage(ReplayBinary(), c));
}

TEST(CliFlags, TicketReplayRefusesMalformedAndMissingValues) {
  const std::string history = "history --data-dir /tmp --ticket ";
  for (const Case& c : std::vector<Case>{
           {history + kTicketId + " --as-of yesterday", "--as-of"},
           {history + "not-a-uuid", "--ticket"},
           {"history --data-dir /tmp", "--ticket"},
           {"export --data-dir /tmp --from 0", "--from"},
           {"export --data-dir /tmp --from 12abc", "--from"},
           {"export --data-dir /tmp --from -1", "--from"},
           {"verify", "--data-dir"},
           {"verify --data-dir", "--data-dir"},
           {"consume --topic ticket-events", "--brokers"},
           {"consume --brokers 127.0.0.1:9 --max 0", "--max"},
           {"consume --brokers 127.0.0.1:9 --timeout-ms soon", "--timeout-ms"},
           {"consume --brokers 127.0.0.1:9 --group ''", "--group"},
       })
    EXPECT_TRUE(RefusedWithMessage(ReplayBinary(), c));
}

TEST(CliFlags, TicketReplayHelpOnEverySubcommand) {
  EXPECT_TRUE(HelpLists(ReplayBinary(), "--help", {"verify", "history", "export", "read-models", "consume"}));
  EXPECT_TRUE(HelpLists(ReplayBinary(), "help", {"verify", "history", "export", "read-models", "consume"}));
  EXPECT_TRUE(HelpLists(ReplayBinary(), "verify --help", {"--data-dir", "--master-key-file"}));
  EXPECT_TRUE(HelpLists(ReplayBinary(), "history --help", {"--data-dir", "--ticket", "--as-of"}));
  EXPECT_TRUE(HelpLists(ReplayBinary(), "export -h", {"--data-dir", "--from"}));
  EXPECT_TRUE(HelpLists(ReplayBinary(), "read-models --help", {"--data-dir"}));
  EXPECT_TRUE(HelpLists(ReplayBinary(), "consume --help",
                        {"--brokers", "--topic", "--group", "--from-beginning", "--max", "--timeout-ms",
                         "--kafka-config"}));
}

TEST(CliFlags, TicketdRefusesUnknownFlagsAndMalformedValuesBeforeStarting) {
  for (const Case& c : std::vector<Case>{
           {"--frobnicate yes", "--frobnicate"},
           {"--data-dir /tmp stray", "stray"},
           {"--listen 127.0.0.1", "--listen"},
           {"--listen 127.0.0.1:70000", "--listen"},
           {"--admin-token ''", "--admin-token"},
           {"--kafka nonsense", "--kafka"},
           {"--kafka 127.0.0.1:0", "--kafka"},
           {"--kafka-topic ''", "--kafka-topic"},
           {"--threads 0", "--threads"},
           {"--threads 257", "--threads"},
           {"--threads two", "--threads"},
           {"--rate-limit 50/min", "--rate-limit"},
           {"--rate-limit -5", "--rate-limit"},
           {"--rate-burst 0", "--rate-burst"},
           {"--master-key-file ''", "--master-key-file"},
           {"--snapshot-every -1", "--snapshot-every"},
           {"--snapshot-every 1e3", "--snapshot-every"},
           {"--listen", "--listen"},
       })
    EXPECT_TRUE(RefusedWithMessage(TicketdBinary(), c));
}

TEST(CliFlags, TicketdBackupRefusesUnknownFlagsAndServerFlags) {
  for (const Case& c : std::vector<Case>{
           {"backup --data-dir /tmp --to /tmp/x --frobnicate yes", "--frobnicate"},
           {"backup --data-dir /tmp", "--to"},
           {"backup --to /tmp/x", "--data-dir"},
           {"--threads 2 backup --data-dir /tmp --to /tmp/x", "--threads"},
       })
    EXPECT_TRUE(RefusedWithMessage(TicketdBinary(), c));
}

TEST(CliFlags, TicketdHelpListsEveryFlag) {
  EXPECT_TRUE(HelpLists(TicketdBinary(), "--help",
                        {"--data-dir", "--listen", "--admin-token", "--kafka", "--kafka-topic", "--kafka-config",
                         "--threads", "--rate-limit", "--rate-burst", "--master-key-file", "--snapshot-every",
                         "--unsafe-no-encryption", "--unsafe-no-fsync", "backup"}));
  EXPECT_TRUE(HelpLists(TicketdBinary(), "-h", {"--data-dir", "--listen"}));
  EXPECT_TRUE(HelpLists(TicketdBinary(), "backup --help", {"--data-dir", "--to", "--master-key-file"}));
}

}  // namespace
}  // namespace ticketd::integration
