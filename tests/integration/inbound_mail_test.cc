// MAIL.md "Email in" against the real binary: an MTA posts raw mails
// (tests/fixtures/mail) with an API key of scope mail:inbound, as the curl
// line in the README does.
#include <atomic>
#include <set>
#include <thread>

#include "api_fixture.h"
#include "mail_fixture.h"

namespace ticketd::integration {
namespace {

using test_support::MailFixture;

constexpr std::size_t kMailLimit = 10u << 20;  // MAIL.md: ≤ 10 MiB
std::atomic<int> message_counter{0};

std::string NewMessageId() { return "it-" + std::to_string(++message_counter) + ".x7@mail.example.com"; }

// The helpers of both fixtures below (a shared server, and one of its own).
template <class Base>
class MailIn : public Base {
 protected:
  // Enables the public API and makes a key with `scopes` for the tenant.
  std::string MakeKey(const Tenant& tenant, std::string_view scopes = R"(["mail:inbound"])") {
    EXPECT_TRUE(HasStatus(this->Patch(tenant.admin.token, "/api/v1/settings", R"({"features":{"public_api":true}})"),
                          200));
    HttpResponse created =
        this->Post(tenant.admin.token, "/api/v1/api-keys", R"({"name":"mta","scopes":)" + std::string(scopes) + "}");
    EXPECT_TRUE(HasStatus(created, 201));
    return GetString(Json(created.body).root(), "key");
  }
  HttpResponse PostMail(std::string_view key, std::string_view mail) {
    return this->Call("POST", key, "/public/v1/inbound-mail", mail, {{"Content-Type", "message/rfc822"}});
  }
  std::int64_t TicketTotal(const User& user) {
    return GetInt(Json(this->Get(user.token, "/api/v1/tickets").body).root(), "total").value_or(-1);
  }
  std::string NumberOf(const User& user, const std::string& ticket) {
    return GetString(Json(this->GetTicket(user, ticket).body).root(), "number");
  }
};

class InboundMailTest : public MailIn<TenantTest> {
 protected:
  void SetUp() override {
    MailIn<TenantTest>::SetUp();
    if (HasFatalFailure()) return;
    key_ = MakeKey(tenant_);
  }
  std::string Mail(std::string_view fixture, const User& from, const std::string& ticket = "",
                   const std::string& message_id = "") {
    return MailFixture(fixture, {{"FROM", from.email},
                                 {"MESSAGE_ID", message_id.empty() ? NewMessageId() : message_id},
                                 {"TICKET_ID", ticket},
                                 {"NUMBER", ticket.empty() ? "" : NumberOf(agent_, ticket)}});
  }
  // The ticket's comments as the agent sees them.
  std::vector<std::pair<std::string, std::string>> Comments(const std::string& ticket) {
    std::vector<std::pair<std::string, std::string>> comments;  // (author_id, body)
    Json json(Get(agent_.token, "/api/v1/tickets/" + ticket + "/comments").body);
    for (element item : GetArray(json.root(), "items"))
      comments.emplace_back(GetString(item, "author_id"), GetString(item, "body"));
    return comments;
  }

  std::string key_;
};

TEST_F(InboundMailTest, KnownSenderOpensATicketWithTheDecodedSubjectAndText) {
  HttpResponse posted = PostMail(key_, Mail("encoded_words.eml", reporter_));
  ASSERT_TRUE(HasStatus(posted, 201));
  Json answer(posted.body);
  EXPECT_EQ(GetString(answer.root(), "action"), "ticket");
  const std::string ticket = GetString(answer.root(), "ticket_id");
  Json read(GetTicket(reporter_, ticket).body);
  EXPECT_EQ(GetString(read.root(), "subject"), "Drucker im 3. Stock druckt nur noch \xC3\xBC" "berall Streifen");
  EXPECT_NE(GetString(read.root(), "description").find("gewechselt \xE2\x80\x93 ohne Erfolg"), std::string::npos);
  EXPECT_EQ(GetString(read.root(), "reporter_id"), reporter_.id);
  EXPECT_EQ(GetString(read.root(), "status"), "open");
}

TEST_F(InboundMailTest, EncodingsAndHtmlOnlyMailsBecomeReadableTickets) {
  struct Case {
    const char* fixture;
    const char* in_description;
  };
  for (Case c : {Case{"quoted_printable_latin1.eml", "nicht ge\xC3\xB6" "ffnet werden"},
                 Case{"base64_utf8.eml", "every five minutes"},
                 Case{"multipart_alternative.eml", "prepare a laptop with the standard image"},
                 Case{"html_only.eml", "My monitor flickers & goes black \xE2\x80\x93 every few minutes."},
                 Case{"multipart_mixed_attachment.eml", "error E42"}}) {
    SCOPED_TRACE(c.fixture);
    HttpResponse posted = PostMail(key_, Mail(c.fixture, reporter_));
    ASSERT_TRUE(HasStatus(posted, 201));
    Json read(GetTicket(reporter_, GetString(Json(posted.body).root(), "ticket_id")).body);
    const std::string description = GetString(read.root(), "description");
    EXPECT_NE(description.find(c.in_description), std::string::npos) << description;
    EXPECT_EQ(description.find("HTML PART MUST NOT WIN"), std::string::npos);
    EXPECT_EQ(description.find("alert(1)"), std::string::npos);
  }
}

TEST_F(InboundMailTest, ReplyToOurMessageIdIsACommentWithoutTheQuote) {
  const std::string ticket = CreateTicket(reporter_);
  HttpResponse posted = PostMail(key_, Mail("gmail_reply.eml", reporter_, ticket));
  ASSERT_TRUE(HasStatus(posted, 201));
  Json answer(posted.body);
  EXPECT_EQ(GetString(answer.root(), "action"), "comment");
  EXPECT_EQ(GetString(answer.root(), "ticket_id"), ticket);
  EXPECT_FALSE(GetString(answer.root(), "comment_id").empty());
  auto comments = Comments(ticket);
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_EQ(comments[0], std::make_pair(reporter_.id, std::string("It still jams after the fix, sorry.")));
  EXPECT_EQ(StatusOf(agent_, ticket), "open");
}

TEST_F(InboundMailTest, EveryClientsQuotingStyleIsRemoved) {
  const std::string ticket = CreateTicket(reporter_);
  ASSERT_TRUE(HasStatus(PostMail(key_, Mail("outlook_reply.eml", agent_, ticket)), 201));
  ASSERT_TRUE(HasStatus(PostMail(key_, Mail("apple_mail_reply.eml", reporter_, ticket)), 201));
  ASSERT_TRUE(HasStatus(PostMail(key_, Mail("thunderbird_reply.eml", reporter_, ticket)), 201));
  auto comments = Comments(ticket);
  ASSERT_EQ(comments.size(), 3u);
  EXPECT_EQ(comments[0], std::make_pair(agent_.id, std::string("Please also check the docking station \xE2\x80\x93 "
                                                               "it\xE2\x80\x99s the usual suspect.")));
  EXPECT_EQ(comments[1].second, "Thanks, works now!");
  EXPECT_EQ(comments[2].second, "The toner light is blinking now.");
}

TEST_F(InboundMailTest, NumberInTheSubjectThreadsWithoutHeaders) {
  const std::string ticket = CreateTicket(reporter_);
  const std::string mail = "From: " + agent_.email + "\r\nTo: helpdesk@help.example.com\r\nSubject: AW: [" +
                           NumberOf(agent_, ticket) + "] Printer\r\nMessage-ID: <" + NewMessageId() +
                           ">\r\n\r\nOrdered a new drum.\r\n";
  HttpResponse posted = PostMail(key_, mail);
  ASSERT_TRUE(HasStatus(posted, 201));
  EXPECT_EQ(GetString(Json(posted.body).root(), "ticket_id"), ticket);
  EXPECT_EQ(Comments(ticket).at(0).second, "Ordered a new drum.");
}

TEST_F(InboundMailTest, ReporterReplyToAResolvedTicketReopensIt) {
  const std::string ticket = CreateTicket(reporter_);
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, ticket, "resolved"), 200));
  HttpResponse posted = PostMail(key_, Mail("apple_mail_reply.eml", reporter_, ticket));
  ASSERT_TRUE(HasStatus(posted, 201));
  Json answer(posted.body);
  EXPECT_EQ(GetString(answer.root(), "action"), "reopen");
  EXPECT_EQ(GetString(answer.root(), "ticket_id"), ticket);
  EXPECT_FALSE(GetString(answer.root(), "comment_id").empty());
  EXPECT_EQ(StatusOf(agent_, ticket), "open");
  EXPECT_EQ(Comments(ticket).at(0).second, "Thanks, works now!");
}

TEST_F(InboundMailTest, StaffReplyToAResolvedTicketOnlyComments) {
  const std::string ticket = CreateTicket(reporter_);
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, ticket, "resolved"), 200));
  HttpResponse posted = PostMail(key_, Mail("outlook_reply.eml", agent_, ticket));
  ASSERT_TRUE(HasStatus(posted, 201));
  EXPECT_EQ(GetString(Json(posted.body).root(), "action"), "comment");
  EXPECT_EQ(StatusOf(agent_, ticket), "resolved");
}

TEST_F(InboundMailTest, UnknownSendersAreRefusedAndNothingIsAdded) {
  const std::string ticket = CreateTicket(reporter_);
  const std::int64_t before = TicketTotal(agent_);
  User stranger{"", "", "", "stranger@elsewhere.example"};
  EXPECT_TRUE(IsError(PostMail(key_, Mail("encoded_words.eml", stranger)), 422, "UNKNOWN_SENDER"));
  EXPECT_TRUE(IsError(PostMail(key_, Mail("gmail_reply.eml", stranger, ticket)), 422, "UNKNOWN_SENDER"));
  // A colleague who is neither the reporter nor staff may not comment.
  User colleague = CreateUser(tenant_, "reporter");
  EXPECT_TRUE(IsError(PostMail(key_, Mail("gmail_reply.eml", colleague, ticket)), 422, "UNKNOWN_SENDER"));
  // A user of another tenant is unknown here.
  Tenant other = CreateTenant();
  User foreign = CreateUser(other, "agent");
  EXPECT_TRUE(IsError(PostMail(key_, Mail("encoded_words.eml", foreign)), 422, "UNKNOWN_SENDER"));
  EXPECT_EQ(TicketTotal(agent_), before);
  EXPECT_TRUE(Comments(ticket).empty());
}

TEST_F(InboundMailTest, AnotherTenantsTicketIsNotFoundSoTheMailOpensAnewOne) {
  Tenant other = CreateTenant();
  User other_agent = CreateUser(other, "agent");
  const std::string foreign_ticket = CreateTicket(other_agent);
  HttpResponse posted = PostMail(key_, MailFixture("gmail_reply.eml", {{"FROM", reporter_.email},
                                                                       {"MESSAGE_ID", NewMessageId()},
                                                                       {"TICKET_ID", foreign_ticket},
                                                                       {"NUMBER", NumberOf(other_agent, foreign_ticket)}}));
  ASSERT_TRUE(HasStatus(posted, 201));
  Json answer(posted.body);
  EXPECT_EQ(GetString(answer.root(), "action"), "ticket");
  EXPECT_NE(GetString(answer.root(), "ticket_id"), foreign_ticket);
  Json foreign_comments(Get(other_agent.token, "/api/v1/tickets/" + foreign_ticket + "/comments").body);
  EXPECT_TRUE(GetArray(foreign_comments.root(), "items").empty());
}

TEST_F(InboundMailTest, AutoRepliesBulkMailAndOurOwnMailAreIgnored) {
  const std::string ticket = CreateTicket(reporter_);
  const std::int64_t before = TicketTotal(agent_);
  struct Case {
    std::string mail;
    const char* reason;
  };
  User ticketd_itself{"", "", "", "ticketd@localhost"};  // the default --mail-from
  for (const Case& c : {Case{Mail("auto_reply.eml", reporter_, ticket), "auto_submitted"},
                        Case{Mail("bulk.eml", reporter_), "precedence"},
                        Case{Mail("gmail_reply.eml", ticketd_itself, ticket), "own_address"}}) {
    SCOPED_TRACE(c.reason);
    HttpResponse posted = PostMail(key_, c.mail);
    ASSERT_TRUE(HasStatus(posted, 200));
    Json answer(posted.body);
    EXPECT_EQ(GetBool(answer.root(), "ignored"), true);
    EXPECT_EQ(GetString(answer.root(), "reason"), c.reason);
  }
  EXPECT_EQ(TicketTotal(agent_), before);
  EXPECT_TRUE(Comments(ticket).empty());
}

TEST_F(InboundMailTest, TheSameMessageIdTwiceGetsTheFirstAnswerAndAddsNothing) {
  const std::string message_id = NewMessageId();
  HttpResponse first = PostMail(key_, Mail("encoded_words.eml", reporter_, "", message_id));
  ASSERT_TRUE(HasStatus(first, 201));
  const std::int64_t after_first = TicketTotal(agent_);
  HttpResponse again = PostMail(key_, Mail("encoded_words.eml", reporter_, "", message_id));
  ASSERT_TRUE(HasStatus(again, 200));
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(TicketTotal(agent_), after_first);

  const std::string ticket = CreateTicket(reporter_);
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, ticket, "resolved"), 200));
  const std::string reply_id = NewMessageId();
  HttpResponse reopened = PostMail(key_, Mail("apple_mail_reply.eml", reporter_, ticket, reply_id));
  ASSERT_TRUE(HasStatus(reopened, 201));
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, ticket, "resolved"), 200));
  HttpResponse repeat = PostMail(key_, Mail("apple_mail_reply.eml", reporter_, ticket, reply_id));
  ASSERT_TRUE(HasStatus(repeat, 200));
  EXPECT_EQ(repeat.body, reopened.body);
  EXPECT_EQ(StatusOf(agent_, ticket), "resolved") << "a repeat does not reopen again";
  EXPECT_EQ(Comments(ticket).size(), 1u);
}

TEST_F(InboundMailTest, ARepeatAfterItsTicketWasDeletedStillGetsTheFirstAnswer) {
  const std::string mail = Mail("multipart_alternative.eml", reporter_);
  HttpResponse first = PostMail(key_, mail);
  ASSERT_TRUE(HasStatus(first, 201));
  const std::int64_t before = TicketTotal(agent_);
  ASSERT_TRUE(HasStatus(Delete(tenant_.admin.token, "/api/v1/tickets/" + GetString(Json(first.body).root(),
                                                                                    "ticket_id")),
                        204));
  HttpResponse again = PostMail(key_, mail);
  ASSERT_TRUE(HasStatus(again, 200));
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(TicketTotal(agent_), before - 1) << "nothing added again";
}

TEST_F(InboundMailTest, ConcurrentCopiesOfOneMailMakeOneTicket) {
  const std::string mail = Mail("base64_utf8.eml", reporter_);
  const std::int64_t before = TicketTotal(agent_);
  constexpr int kCopies = 6;
  std::vector<HttpResponse> answers(kCopies);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCopies; ++i)
    threads.emplace_back([&, i] {
      HttpClient client("127.0.0.1", server().port());
      answers[i] = client.Request("POST", "/public/v1/inbound-mail", mail,
                                  {{"Authorization", "Bearer " + key_}, {"Content-Type", "message/rfc822"}});
    });
  for (std::thread& t : threads) t.join();
  int created = 0;
  std::set<std::string> ids;
  for (const HttpResponse& answer : answers) {
    ASSERT_TRUE(answer.status == 201 || answer.status == 200) << answer.status << " " << answer.body;
    created += answer.status == 201;
    ids.insert(GetString(Json(answer.body).root(), "ticket_id"));
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(TicketTotal(agent_), before + 1);
}

TEST_F(InboundMailTest, TenMebibytesAreAcceptedAndMoreIs413WhileJsonKeepsItsLimit) {
  const std::string head = "From: " + reporter_.email + "\r\nSubject: big log\r\nMessage-ID: <" + NewMessageId() +
                           ">\r\nContent-Type: text/plain\r\n\r\n";
  std::string mail = head;
  while (mail.size() < kMailLimit) mail += std::string(99, 'x') + "\n";
  mail.resize(kMailLimit);
  HttpResponse at_limit = PostMail(key_, mail);
  ASSERT_TRUE(HasStatus(at_limit, 201));
  Json read(GetTicket(reporter_, GetString(Json(at_limit.body).root(), "ticket_id")).body);
  const std::size_t kept = GetString(read.root(), "description").size();
  EXPECT_TRUE(kept >= 19999 && kept <= 20000) << kept << ": cut to the description's limit (a cut line end is trimmed)";

  HttpClient client("127.0.0.1", server().port());
  Headers headers = {{"Authorization", "Bearer " + key_}, {"Content-Type", "message/rfc822"}};
  EXPECT_TRUE(IsError(client.RequestHeadOnly("POST", "/public/v1/inbound-mail", kMailLimit + 1, headers), 413,
                      "PAYLOAD_TOO_LARGE"));
  EXPECT_TRUE(IsError(client.Request("POST", "/public/v1/inbound-mail", mail + "x", headers), 413, "PAYLOAD_TOO_LARGE"));
  HttpClient json_client("127.0.0.1", server().port());
  EXPECT_TRUE(IsError(json_client.RequestHeadOnly("POST", "/api/v1/tickets", (1u << 20) + 1,
                                                  {{"Authorization", "Bearer " + agent_.token}}),
                      413, "PAYLOAD_TOO_LARGE"));
}

TEST_F(InboundMailTest, GarbageIs400NeverA500) {
  for (std::string body : {std::string(""), std::string("\x00\x01\xff\xfe garbage", 12), std::string("hello"),
                           std::string("Subject: no sender\r\n\r\nbody"), std::string(5000, '\n'),
                           std::string("From: <>\r\n\r\n"),
                           std::string("From: a@b.c\r\nContent-Type: multipart/mixed; boundary=\"\r\n\r\n--\r\n")}) {
    HttpResponse posted = PostMail(key_, body);
    EXPECT_TRUE(posted.status == 400 || posted.status == 422) << posted.status << " " << posted.body;
    if (posted.status == 400) {
      EXPECT_TRUE(IsError(posted, 400, "VALIDATION_ERROR"));
    }
  }
  EXPECT_TRUE(IsError(Call("POST", key_, "/public/v1/inbound-mail", Mail("encoded_words.eml", reporter_),
                           {{"Content-Type", "application/json"}}),
                      415, "UNSUPPORTED_MEDIA_TYPE"));
}

TEST_F(InboundMailTest, NeedsAnApiKeyWithTheMailInboundScope) {
  const std::string mail = Mail("encoded_words.eml", reporter_);
  EXPECT_TRUE(IsError(PostMail("", mail), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(IsError(PostMail(agent_.token, mail), 401, "UNAUTHENTICATED"));
  HttpResponse wrong_scope = PostMail(MakeKey(tenant_, R"(["tickets:write"])"), mail);
  ASSERT_TRUE(IsError(wrong_scope, 403, "INSUFFICIENT_SCOPE"));
  EXPECT_EQ(GetString(Json(wrong_scope.body).root(), "error.details.required"), "mail:inbound");
}

class InboundMailRestartTest : public MailIn<OwnServerTest> {};

TEST_F(InboundMailRestartTest, RepeatsAreRecognisedAfterARestart) {
  const std::string key = MakeKey(tenant_);
  User reporter = CreateUser(tenant_, "reporter");
  const std::string mail = MailFixture("encoded_words.eml", {{"FROM", reporter.email}, {"MESSAGE_ID", NewMessageId()}});
  HttpResponse first = PostMail(key, mail);
  ASSERT_TRUE(HasStatus(first, 201));
  const std::string ticket = CreateTicket(reporter);
  const std::string reply = MailFixture("gmail_reply.eml", {{"FROM", reporter.email},
                                                             {"MESSAGE_ID", NewMessageId()},
                                                             {"TICKET_ID", ticket},
                                                             {"NUMBER", NumberOf(agent_, ticket)}});
  HttpResponse comment = PostMail(key, reply);
  ASSERT_TRUE(HasStatus(comment, 201));

  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  HttpResponse again = PostMail(key, mail);
  ASSERT_TRUE(HasStatus(again, 200));
  EXPECT_EQ(again.body, first.body);
  HttpResponse comment_again = PostMail(key, reply);
  ASSERT_TRUE(HasStatus(comment_again, 200));
  EXPECT_EQ(comment_again.body, comment.body);
  EXPECT_EQ(TicketTotal(agent_), 2);
}

class InboundMailFromFlagTest : public MailIn<OwnServerTest> {
 protected:
  void SetUp() override {
    server_.set_extra_args({"--mail-from", "Help Desk <help@acme.example>"});
    MailIn<OwnServerTest>::SetUp();
  }
};

TEST_F(InboundMailFromFlagTest, MailFromTheConfiguredAddressIsALoop) {
  const std::string key = MakeKey(tenant_);
  User ours{"", "", "", "HELP@acme.example"};
  HttpResponse posted =
      PostMail(key, MailFixture("encoded_words.eml", {{"FROM", ours.email}, {"MESSAGE_ID", NewMessageId()}}));
  ASSERT_TRUE(HasStatus(posted, 200));
  EXPECT_EQ(GetString(Json(posted.body).root(), "reason"), "own_address");
  // ticketd@localhost is nobody special now: an unknown sender.
  EXPECT_TRUE(IsError(PostMail(key, MailFixture("encoded_words.eml",
                                                {{"FROM", "ticketd@localhost"}, {"MESSAGE_ID", NewMessageId()}})),
                      422, "UNKNOWN_SENDER"));
}

}  // namespace
}  // namespace ticketd::integration
