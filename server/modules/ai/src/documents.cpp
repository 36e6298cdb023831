#include "documents.hpp"

#include <mnemos/core/error.hpp>
#include <mnemos/core/html.hpp>
#include <mnemos/core/json.hpp>

#include <algorithm>
#include <cctype>

namespace mnemos::ai {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string extension_of(std::string_view name) {
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string() : lower(name.substr(dot + 1));
}

// What the bytes are when they are something we do not read; empty when they may be text.
std::string_view foreign_format(std::string_view bytes) {
  if (starts_with(bytes, "PK\x03\x04") || starts_with(bytes, "PK\x05\x06")) {
    return "This file is a ZIP archive (a Word or OpenDocument file, perhaps), not a source Mnemos reads: send a PDF, Markdown, text or HTML file.";
  }
  if (starts_with(bytes, "\x89PNG") || starts_with(bytes, "\xFF\xD8\xFF") || starts_with(bytes, "GIF8")) {
    return "This file is a picture: send a PDF, Markdown, text or HTML file.";
  }
  if (starts_with(bytes, "\xD0\xCF\x11\xE0")) {
    return "This file is an old Office document: save it as PDF and send that.";
  }
  return {};
}

std::string_view strip_bom(std::string_view bytes) {
  return starts_with(bytes, "\xEF\xBB\xBF") ? bytes.substr(3) : bytes;
}

// Where a PDF's header may be: PDF readers accept it within the first kilobyte.
bool looks_like_pdf(std::string_view bytes) {
  return bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

}  // namespace

std::string_view content_type_of(SourceKind kind) {
  switch (kind) {
    case SourceKind::pdf: return "application/pdf";
    case SourceKind::markdown: return "text/markdown";
    case SourceKind::html: return "text/html";
    case SourceKind::text: break;
  }
  return "text/plain";
}

SourceKind identify_source(std::string_view declared_type, std::string_view name, std::string_view bytes) {
  if (bytes.empty()) throw Error::invalid("file", "The file is empty.");
  const std::string declared = lower(declared_type.substr(0, declared_type.find(';')));
  const std::string extension = extension_of(name);
  if (const auto foreign = foreign_format(bytes); !foreign.empty()) throw Error::invalid("file", std::string(foreign));
  const bool pdf_bytes = looks_like_pdf(bytes);
  const bool says_pdf = declared == "application/pdf" || (declared.empty() || declared == "application/octet-stream"
                                                              ? extension == "pdf"
                                                              : false);
  if (says_pdf || pdf_bytes) {
    if (!pdf_bytes) throw Error::invalid("file", "This file is not a PDF: its bytes do not start like one.");
    if (!says_pdf && declared != "application/octet-stream" && !declared.empty()) {
      throw Error::invalid("file", "This file is a PDF: send it as application/pdf.");
    }
    return SourceKind::pdf;
  }
  SourceKind kind;
  if (declared == "text/markdown" || declared == "text/x-markdown") {
    kind = SourceKind::markdown;
  } else if (declared == "text/html") {
    kind = SourceKind::html;
  } else if (declared == "text/plain") {
    kind = extension == "md" || extension == "markdown" ? SourceKind::markdown : SourceKind::text;
  } else if (declared.empty() || declared == "application/octet-stream") {
    if (extension == "md" || extension == "markdown") kind = SourceKind::markdown;
    else if (extension == "html" || extension == "htm") kind = SourceKind::html;
    else if (extension == "txt") kind = SourceKind::text;
    else throw Error(ErrorCode::unsupported_media, "Send a PDF, Markdown, text or HTML file.");
  } else {
    throw Error(ErrorCode::unsupported_media, "Send a PDF, Markdown, text or HTML file.");
  }
  const std::string_view text = strip_bom(bytes);
  if (!json::is_valid_utf8(text)) {
    throw Error::invalid("file", "This text is not in UTF-8: save it as UTF-8 and send it again.");
  }
  if (text.find('\0') != std::string_view::npos) {
    throw Error::invalid("file", "This file holds binary data, not text.");
  }
  return kind;
}

// ---- text sources --------------------------------------------------------------------------------

namespace {

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = end + 1;
  }
  return lines;
}

class BlockWriter {
 public:
  explicit BlockWriter(int page = 0) : page_(page) {}
  void line(std::string_view text) {
    const std::string trimmed = trim(text);
    if (trimmed.empty()) {
      end_paragraph();
      return;
    }
    if (!paragraph_.empty()) paragraph_ += ' ';
    // Runs of spaces and tabs inside a line are one space (HTML's layout, PDF's justification).
    for (const char c : trimmed) {
      const bool blank = c == ' ' || c == '\t';
      if (blank && !paragraph_.empty() && paragraph_.back() == ' ') continue;
      paragraph_ += blank ? ' ' : c;
    }
  }
  void end_paragraph() {
    if (!paragraph_.empty()) blocks_.push_back({Block::Kind::paragraph, 0, std::move(paragraph_), page_});
    paragraph_.clear();
  }
  void heading(int level, std::string_view text) {
    end_paragraph();
    std::string title = trim(text);
    if (!title.empty()) blocks_.push_back({Block::Kind::heading, level, std::move(title), page_});
  }
  void whole(std::string text) {
    end_paragraph();
    if (!trim(text).empty()) blocks_.push_back({Block::Kind::whole, 0, std::move(text), page_});
  }
  void set_page(int page) {
    end_paragraph();
    page_ = page;
  }
  std::vector<Block> finish() {
    end_paragraph();
    return std::move(blocks_);
  }

 private:
  int page_;
  std::string paragraph_;
  std::vector<Block> blocks_;
};

int atx_level(std::string_view line) {
  int level = 0;
  while (level < static_cast<int>(line.size()) && line[level] == '#') ++level;
  if (level == 0 || level > 6) return 0;
  if (level < static_cast<int>(line.size()) && line[level] != ' ' && line[level] != '\t') return 0;
  return level;
}

std::vector<Block> markdown_blocks(std::string_view text) {
  BlockWriter out;
  const auto lines = lines_of(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const std::string trimmed = trim(line);
    // Code fences and display formulas are kept whole, with their lines.
    const bool fence = starts_with(trimmed, "```") || starts_with(trimmed, "~~~");
    const bool math = trimmed == "$$" || (starts_with(trimmed, "$$") && trimmed.size() > 4 && trimmed.ends_with("$$"));
    if (fence || trimmed == "$$") {
      const std::string close = fence ? trimmed.substr(0, 3) : "$$";
      std::string whole(line);
      std::size_t j = i + 1;
      for (; j < lines.size(); ++j) {
        whole += '\n';
        whole += lines[j];
        if (starts_with(trim(lines[j]), close)) break;
      }
      out.whole(std::move(whole));
      i = j;
      continue;
    }
    if (math) {
      out.whole(trimmed);
      continue;
    }
    if (const int level = atx_level(trimmed)) {
      std::string title = trimmed.substr(level);
      while (!title.empty() && (title.back() == '#' || title.back() == ' ')) title.pop_back();
      out.heading(level, title);
      continue;
    }
    // Setext headings: a line underlined by === or ---.
    if (i + 1 < lines.size() && !trimmed.empty()) {
      const std::string next = trim(lines[i + 1]);
      const bool underline = next.size() >= 3 && (next.find_first_not_of('=') == std::string::npos ||
                                                   next.find_first_not_of('-') == std::string::npos);
      if (underline) {
        out.heading(next[0] == '=' ? 1 : 2, trimmed);
        ++i;
        continue;
      }
    }
    // A list item or a table row starts its own line of the paragraph.
    out.line(line);
  }
  return out.finish();
}

std::vector<Block> plain_blocks(std::string_view text) {
  BlockWriter out;
  for (const auto line : lines_of(text)) out.line(line);
  return out.finish();
}

// A pasted page: the text people read, with its headings; scripts, styles, comments and every
// tag go (nothing of the page is ever shown as HTML).
std::vector<Block> html_blocks(std::string_view html) {
  BlockWriter out;
  std::string text;  // the current run of text
  auto flush_text = [&] {
    const std::string decoded = html::decode_entities(text);
    for (const auto line : lines_of(decoded)) out.line(line);
    out.end_paragraph();
    text.clear();
  };
  std::size_t i = 0;
  int heading_level = 0;
  std::string heading;
  while (i < html.size()) {
    if (html[i] != '<') {
      (heading_level > 0 ? heading : text) += html[i];
      ++i;
      continue;
    }
    if (starts_with(html.substr(i), "<!--")) {
      const auto end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    const auto close = html.find('>', i);
    if (close == std::string_view::npos) break;
    std::string tag = lower(html.substr(i + 1, close - i - 1));
    const bool closing = !tag.empty() && tag[0] == '/';
    if (closing) tag.erase(0, 1);
    const std::string name = tag.substr(0, tag.find_first_of(" \t\r\n/"));
    i = close + 1;
    if (!closing && (name == "script" || name == "style" || name == "noscript" || name == "template")) {
      const auto end = lower(html.substr(i)).find("</" + name);
      i = end == std::string::npos ? html.size() : i + end;
      continue;
    }
    if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
      if (!closing) {
        flush_text();
        heading_level = name[1] - '0';
        heading.clear();
      } else if (heading_level > 0) {
        std::string title;
        const std::string decoded = html::decode_entities(heading);
        for (const auto line : lines_of(decoded)) title += trim(line) + " ";
        out.heading(heading_level, title);
        heading_level = 0;
      }
      continue;
    }
    if (name == "pre" && !closing) {
      flush_text();
      const auto end = lower(html.substr(i)).find("</pre");
      const std::string_view code = html.substr(i, end == std::string::npos ? std::string::npos : end);
      std::string plain;
      for (std::size_t k = 0; k < code.size(); ++k) {  // tags inside <pre> (highlighting) go
        if (code[k] == '<') {
          const auto tag_end = code.find('>', k);
          if (tag_end == std::string_view::npos) break;
          k = tag_end;
        } else {
          plain += code[k];
        }
      }
      out.whole(html::decode_entities(plain));
      i = end == std::string::npos ? html.size() : i + end;
      continue;
    }
    static const std::vector<std::string> breaks = {"p", "div", "br", "li", "tr", "section", "article",
                                                    "blockquote", "ul", "ol", "table", "dt", "dd", "hr"};
    // Inline tags (<b>, <a>, <span>) join what they hold to its neighbours; blocks break it.
    if (std::find(breaks.begin(), breaks.end(), name) != breaks.end()) {
      (heading_level > 0 ? heading : text) += heading_level > 0 ? " " : "\n\n";
    } else if (name == "td" || name == "th") {
      (heading_level > 0 ? heading : text) += ' ';
    }
  }
  flush_text();
  return out.finish();
}

}  // namespace

std::vector<Block> blocks_of_text(SourceKind kind, std::string_view bytes) {
  const std::string_view text = strip_bom(bytes);
  std::vector<Block> blocks = kind == SourceKind::markdown ? markdown_blocks(text)
                              : kind == SourceKind::html   ? html_blocks(text)
                                                           : plain_blocks(text);
  const bool has_text = std::any_of(blocks.begin(), blocks.end(), [](const Block& b) {
    return b.kind != Block::Kind::heading && count_words(b.text) > 0;
  });
  if (!has_text) throw Error::invalid("file", "This file holds no text to learn from.");
  return blocks;
}

// ---- PDF ------------------------------------------------------------------------------------------

namespace {

// A line that reads like a title: short, no final punctuation, not a sentence's continuation.
bool looks_like_title(const std::string& line, const std::string& next) {
  if (line.size() < 3 || line.size() > 80 || count_words(line) > 12) return false;
  const char last = line.back();
  if (last == '.' || last == ',' || last == ';' || last == ':' || last == '-') return false;
  const auto first = static_cast<unsigned char>(line[0]);
  const bool starts_upper = std::isupper(first) != 0 || std::isdigit(first) != 0 || first >= 0xC0;
  return starts_upper && !next.empty();
}

}  // namespace

std::vector<Block> blocks_of_pdf(const std::vector<std::string>& pages) {
  BlockWriter out(1);
  for (std::size_t p = 0; p < pages.size(); ++p) {
    out.set_page(static_cast<int>(p) + 1);
    const auto lines = lines_of(pages[p]);
    bool paragraph_open = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string line = trim(lines[i]);
      const std::string next = i + 1 < lines.size() ? trim(lines[i + 1]) : std::string();
      if (line.empty()) {
        out.end_paragraph();
        paragraph_open = false;
        continue;
      }
      if (!paragraph_open && looks_like_title(line, next)) {
        out.heading(2, line);
        continue;
      }
      // A line that ends a sentence and is shorter than a full line ends its paragraph.
      out.line(line);
      paragraph_open = true;
      if ((line.back() == '.' || line.back() == '?' || line.back() == '!') && line.size() < 60) {
        out.end_paragraph();
        paragraph_open = false;
      }
    }
  }
  return out.finish();
}

}  // namespace mnemos::ai
