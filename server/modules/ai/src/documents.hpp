#pragma once
// A teacher's source read as text: what kind of file it is (by its bytes), its text in blocks that
// keep the headings, pages and the formulas and code that must stay whole (documents.cpp), and
// the passages the tutor searches (passages.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mnemos::ai {

enum class SourceKind { pdf, markdown, text, html };
std::string_view content_type_of(SourceKind kind);

// The kind of an upload from its declared content type, its name and its bytes; throws
// Error(invalid "file" / unsupported_media) with the reason when they disagree or the bytes are
// not a source we read (an empty file, a ZIP archive, an image, text that is not UTF-8...).
SourceKind identify_source(std::string_view declared_type, std::string_view name, std::string_view bytes);

struct Block {
  enum class Kind { heading, paragraph, whole };  // whole: code or a formula, never split
  Kind kind = Kind::paragraph;
  int level = 0;  // headings: 1 (#) to 6
  std::string text;
  int page = 0;  // PDF pages from 1; 0 for other sources
};

// Blocks of a text source (Markdown, plain text, HTML). Throws Error(invalid "file") when the
// source holds no text.
std::vector<Block> blocks_of_text(SourceKind kind, std::string_view bytes);

// The text of a PDF's pages (page i+1 at index i), read by poppler in a child process with time and
// memory bounds: a damaged or hostile PDF costs a bounded effort and never the server. Throws
// SourceError with the cause (damaged, encrypted, no text layer, too long to read).
struct SourceError {
  std::string message;  // English, translated like any message (messages.cpp)
};
std::vector<std::string> pdf_pages(std::string_view bytes);
// Blocks of a PDF's pages: paragraphs by blank lines, headings guessed from short title lines.
std::vector<Block> blocks_of_pdf(const std::vector<std::string>& pages);

struct Passage {
  std::string heading;  // the heading trail, "Chapitre 2 › La photosynthèse"
  std::string text;
  int page = 0;
  int words = 0;
};

// Passages of about 150 to 350 words that follow headings and paragraphs; a passage cut because
// it grew too long repeats the last sentence of the one before (overlap); code and formulas stay
// whole.
std::vector<Passage> split_passages(const std::vector<Block>& blocks);

int count_words(std::string_view text);

}  // namespace mnemos::ai
