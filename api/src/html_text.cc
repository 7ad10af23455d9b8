#include "html_text.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <array>
#include <climits>
#include <mutex>

namespace ticketd::api {
namespace {

constexpr int kMaxDepth = 200;  // deeper markup is flattened (libxml2 caps at 256 anyway)

bool NameIs(const xmlNode* node, std::string_view name) {
  return node->name && std::string_view(reinterpret_cast<const char*>(node->name)) == name;
}

bool IsBlock(const xmlNode* node) {
  static constexpr std::array<std::string_view, 24> kBlocks = {
      "p",  "div", "br",    "li",    "tr",     "h1",      "h2",     "h3",   "h4",     "h5",         "h6",  "ul",
      "ol", "hr",  "table", "pre",   "section", "article", "header", "footer", "blockquote", "address", "dl", "dt"};
  for (std::string_view block : kBlocks)
    if (NameIs(node, block)) return true;
  return false;
}

bool IsSkipped(const xmlNode* node) {
  return NameIs(node, "script") || NameIs(node, "style") || NameIs(node, "head") || NameIs(node, "title");
}

// Collects text, one line at a time, with "> " in front of quoted lines.
class TextBuilder {
 public:
  void Text(std::string_view text, bool preformatted) {
    for (char c : text) {
      if (preformatted) {
        if (c == '\n') {
          LineBreak(/*force=*/true);
          continue;
        }
        Put(c);
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        pending_space_ = line_started_;
      } else {
        if (pending_space_) Put(' ');
        pending_space_ = false;
        Put(c);
      }
    }
  }
  // Ends the current line; blank lines only when forced (<br>, <pre>).
  void LineBreak(bool force) {
    if (line_started_ || force) {
      out_.push_back('\n');
      line_started_ = false;
    }
    pending_space_ = false;
  }
  void Quote(int delta) {
    LineBreak(false);
    quote_depth_ += delta;
  }
  std::string Take() {
    while (!out_.empty() && (out_.back() == '\n' || out_.back() == ' ')) out_.pop_back();
    return std::move(out_);
  }

 private:
  void Put(char c) {
    if (!line_started_) {
      for (int i = 0; i < quote_depth_; ++i) out_ += "> ";
      line_started_ = true;
    }
    out_.push_back(c);
  }
  std::string out_;
  bool line_started_ = false;
  bool pending_space_ = false;
  int quote_depth_ = 0;
};

void Walk(const xmlNode* node, TextBuilder& text, bool preformatted, int depth) {
  for (; node; node = node->next) {
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      if (node->content) text.Text(reinterpret_cast<const char*>(node->content), preformatted);
      continue;
    }
    if (node->type != XML_ELEMENT_NODE || IsSkipped(node)) continue;
    const bool block = IsBlock(node);
    const bool quote = NameIs(node, "blockquote");
    if (NameIs(node, "br")) {
      text.LineBreak(/*force=*/true);
      continue;
    }
    if (quote) text.Quote(+1);
    if (block) text.LineBreak(false);
    if (depth < kMaxDepth) Walk(node->children, text, preformatted || NameIs(node, "pre"), depth + 1);
    if (block) text.LineBreak(false);
    if (NameIs(node, "p")) text.LineBreak(true);  // paragraphs keep a blank line between them
    if (quote) text.Quote(-1);
  }
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  if (html.empty() || html.size() > INT_MAX) return {};
  htmlDocPtr doc = htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (!doc) return {};
  TextBuilder text;
  Walk(xmlDocGetRootElement(doc), text, false, 0);
  xmlFreeDoc(doc);
  return text.Take();
}

}  // namespace ticketd::api
