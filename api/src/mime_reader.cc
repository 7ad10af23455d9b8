#include "mime_reader.h"

#include <gmime/gmime.h>

#include <memory>
#include <mutex>

#include "html_text.h"
#include "ticketd/domain/ticket_mail_ids.h"

namespace ticketd::api {
namespace {

constexpr int kMaxPartDepth = 32;  // nested multiparts followed; deeper ones are not read

void EnsureGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

struct GObjectUnref {
  void operator()(gpointer object) const { g_object_unref(object); }
};
template <class T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(gpointer p) const { g_free(p); }
};

// Valid UTF-8 whatever the charset label claimed (bad bytes become U+FFFD).
std::string ValidUtf8(const char* text) {
  if (!text) return {};
  std::unique_ptr<char, GFree> valid(g_utf8_make_valid(text, -1));
  return valid ? std::string(valid.get()) : std::string();
}

std::string Header(GMimeObject* object, const char* name) {
  return ValidUtf8(g_mime_object_get_header(object, name));
}

// The addr-specs of a list, groups opened.
void CollectAddresses(InternetAddressList* list, std::vector<std::string>* out, int depth = 0) {
  if (!list || depth > 2) return;
  const int count = internet_address_list_length(list);
  for (int i = 0; i < count; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
      if (addr && *addr) out->push_back(ValidUtf8(addr));
    } else if (INTERNET_ADDRESS_IS_GROUP(address)) {
      CollectAddresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), out, depth + 1);
    }
  }
}

std::vector<std::string> MessageIds(GMimeObject* message, const char* header) {
  std::vector<std::string> ids;
  const char* value = g_mime_object_get_header(message, header);
  if (!value) return ids;
  GMimeReferences* refs = g_mime_references_parse(nullptr, value);
  if (!refs) return ids;
  const int count = g_mime_references_length(refs);
  for (int i = 0; i < count; ++i) {
    const char* id = g_mime_references_get_message_id(refs, i);
    if (id && *id) ids.push_back(ValidUtf8(id));
  }
  g_mime_references_free(refs);
  return ids;
}

// Mail's CRLF (and stray CR) as the \n the rest of ticketd stores.
std::string UnixLineEnds(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out.push_back(text[i]);
    } else if (i + 1 == text.size() || text[i + 1] != '\n') {
      out.push_back('\n');
    }
  }
  return out;
}

bool IsAttachment(GMimeObject* part) {
  const char* disposition = g_mime_object_get_disposition(part);
  return disposition && g_ascii_strcasecmp(disposition, "attachment") == 0;
}

struct Bodies {
  std::string plain;
  std::string html;
  bool has_plain = false;
  bool has_html = false;
};

// The first inline text/plain and text/html parts, depth first. Attached
// mails (message/rfc822 parts) are attachments: their text is not ours.
void FindBodies(GMimeObject* part, Bodies* bodies, int depth) {
  if (!part || depth > kMaxPartDepth || (bodies->has_plain && bodies->has_html)) return;
  if (GMIME_IS_MULTIPART(part)) {
    GMimeMultipart* multipart = GMIME_MULTIPART(part);
    const int count = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i) FindBodies(g_mime_multipart_get_part(multipart, i), bodies, depth + 1);
    return;
  }
  if (!GMIME_IS_TEXT_PART(part) || IsAttachment(part)) return;
  GMimeContentType* type = g_mime_object_get_content_type(part);
  const bool plain = g_mime_content_type_is_type(type, "text", "plain");
  const bool html = g_mime_content_type_is_type(type, "text", "html");
  if ((plain && bodies->has_plain) || (html && bodies->has_html) || (!plain && !html)) return;
  std::unique_ptr<char, GFree> text(g_mime_text_part_get_text(GMIME_TEXT_PART(part)));
  (plain ? bodies->plain : bodies->html) = ValidUtf8(text.get());
  (plain ? bodies->has_plain : bodies->has_html) = true;
}

// The bytes GMime writes into a memory stream.
std::string StreamBytes(GMimeStream* stream) {
  GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
  return array ? std::string(reinterpret_cast<const char*>(array->data), array->len) : std::string();
}

// A leaf part's decoded content (base64, quoted-printable undone).
std::string DecodedContent(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return {};
  GPtr<GMimeStream> out(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, out.get());
  return StreamBytes(out.get());
}

// The attachment parts below `part`, depth first (see ReadMime).
void FindAttachments(GMimeObject* part, std::vector<app::IncomingFile>* files, int depth) {
  if (!part || depth > kMaxPartDepth) return;
  if (GMIME_IS_MULTIPART(part)) {
    GMimeMultipart* multipart = GMIME_MULTIPART(part);
    const int count = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i) FindAttachments(g_mime_multipart_get_part(multipart, i), files, depth + 1);
    return;
  }
  const std::string number = std::to_string(files->size() + 1);
  if (GMIME_IS_MESSAGE_PART(part)) {
    GMimeMessage* attached = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
    GPtr<GMimeStream> out(g_mime_stream_mem_new());
    if (attached) g_mime_object_write_to_stream(GMIME_OBJECT(attached), nullptr, out.get());
    files->push_back({"attached-mail-" + number + ".eml", StreamBytes(out.get())});
    return;
  }
  if (!GMIME_IS_PART(part)) return;
  if (GMIME_IS_TEXT_PART(part) && !IsAttachment(part)) return;  // a body, or text beside it
  std::string filename = ValidUtf8(g_mime_part_get_filename(GMIME_PART(part)));
  if (filename.empty()) filename = "attachment-" + number;
  files->push_back({std::move(filename), DecodedContent(GMIME_PART(part))});
}

}  // namespace

Result<domain::InboundMail, MimeProblem> ReadMime(std::string_view bytes, std::vector<app::IncomingFile>* attachments) {
  EnsureGMime();
  if (bytes.empty()) return Err{MimeProblem{"body", "the request body is empty; send the raw mail (message/rfc822)"}};
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!message) return Err{MimeProblem{"body", "the body is not an RFC 5322 mail"}};
  GMimeObject* object = GMIME_OBJECT(message.get());

  domain::InboundMail mail;
  std::vector<std::string> from;
  CollectAddresses(g_mime_message_get_from(message.get()), &from);
  if (from.empty()) return Err{MimeProblem{"From", "the mail has no From address"}};
  mail.from = std::move(from.front());
  mail.message_id = ValidUtf8(g_mime_message_get_message_id(message.get()));
  CollectAddresses(g_mime_message_get_addresses(message.get(), GMIME_ADDRESS_TYPE_TO), &mail.recipients);
  CollectAddresses(g_mime_message_get_addresses(message.get(), GMIME_ADDRESS_TYPE_CC), &mail.recipients);
  mail.in_reply_to = MessageIds(object, "In-Reply-To");
  mail.references = MessageIds(object, "References");
  mail.subject = ValidUtf8(g_mime_message_get_subject(message.get()));
  mail.auto_submitted = Header(object, "Auto-Submitted");
  mail.precedence = Header(object, "Precedence");

  Bodies bodies;
  FindBodies(g_mime_message_get_mime_part(message.get()), &bodies, 0);
  mail.text = UnixLineEnds(bodies.has_plain ? std::move(bodies.plain) : HtmlToText(bodies.html));
  if (attachments) FindAttachments(g_mime_message_get_mime_part(message.get()), attachments, 0);
  return mail;
}

}  // namespace ticketd::api
