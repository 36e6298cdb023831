#include "pdf_writer.hpp"

#include <zlib.h>

#include <stdexcept>

namespace mnemos::test {
namespace {

// UTF-8 to the WinAnsi bytes Helvetica shows, escaped for a PDF string.
std::string pdf_string(const std::string& utf8) {
  std::string out = "(";
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    auto c = static_cast<unsigned char>(utf8[i]);
    if (c == 0xC2 || c == 0xC3) {  // two-byte Latin-1
      const auto next = static_cast<unsigned char>(utf8[++i]);
      c = static_cast<unsigned char>(((c & 0x1F) << 6) | (next & 0x3F));
    }
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += static_cast<char>(c);
  }
  return out + ")";
}

struct Writer {
  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  int add(const std::string& body) {
    offsets.push_back(out.size());
    const int number = static_cast<int>(offsets.size());
    out += std::to_string(number) + " 0 obj\n" + body + "\nendobj\n";
    return number;
  }
  int add_stream(const std::string& data, const std::string& extra = "") {
    return add("<< /Length " + std::to_string(data.size()) + extra + " >>\nstream\n" + data + "\nendstream");
  }
  std::string finish(int root, const std::string& trailer_extra = "") {
    const std::size_t xref = out.size();
    out += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
    for (const auto offset : offsets) {
      char line[21];
      std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
      out += line;
    }
    out += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root " + std::to_string(root) + " 0 R" +
           trailer_extra + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return out;
  }
};

// Objects 1 (catalog), 2 (pages) and 3 (font) come first; pages follow.
std::string document(const std::vector<std::string>& contents, const std::vector<std::string>& stream_extras = {},
                     const std::string& trailer_extra = "", const std::string& extra_object = "") {
  Writer w;
  w.add("<< /Type /Catalog /Pages 2 0 R >>");
  const int page_count = static_cast<int>(contents.size());
  std::string kids;
  for (int i = 0; i < page_count; ++i) kids += std::to_string(4 + 2 * i) + " 0 R ";
  w.add("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(page_count) + " >>");
  w.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  for (int i = 0; i < page_count; ++i) {
    w.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents " +
          std::to_string(5 + 2 * i) + " 0 R >>");
    w.add_stream(contents[i], i < static_cast<int>(stream_extras.size()) ? stream_extras[i] : "");
  }
  if (!extra_object.empty()) w.add(extra_object);
  return w.finish(1, trailer_extra);
}

}  // namespace

std::string text_pdf(const std::vector<std::vector<std::string>>& pages) {
  std::vector<std::string> contents;
  for (const auto& lines : pages) {
    std::string content = "BT /F1 11 Tf 14 TL 56 790 Td\n";
    for (const auto& line : lines) content += pdf_string(line) + " Tj T*\n";
    contents.push_back(content + "ET");
  }
  return document(contents);
}

std::string encrypted_pdf() {
  const std::string garbage(64, 'a');
  const std::string hex32 = "<" + std::string(64, '7') + ">";
  // Object 6 is the /Encrypt dictionary (catalog, pages, font, page, contents come first).
  return document({"BT /F1 11 Tf 56 790 Td (secret) Tj ET"}, {}, " /Encrypt 6 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]",
                  "<< /Filter /Standard /V 1 /R 2 /O " + hex32 + " /U " + hex32 + " /P -44 >>");
}

std::string pictures_only_pdf() { return document({"0.5 g 56 500 400 250 re f"}); }

std::string bomb_pdf(std::size_t inflated_bytes) {
  const std::string nothing(inflated_bytes, ' ');
  uLongf size = compressBound(static_cast<uLong>(nothing.size()));
  std::string compressed(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(compressed.data()), &size, reinterpret_cast<const Bytef*>(nothing.data()),
                static_cast<uLong>(nothing.size()), 9) != Z_OK) {
    throw std::runtime_error("zlib failed");
  }
  compressed.resize(size);
  return document({compressed}, {" /Filter /FlateDecode"});
}

}  // namespace mnemos::test
