#pragma once
// Small PDFs made in the tests, so no binary fixture is needed: pages of text in Helvetica, and the
// kinds a source upload must refuse or survive (encrypted, pictures only, a decompression bomb).
#include <string>
#include <vector>

namespace mnemos::test {

// A PDF whose page i shows the lines pages[i] (UTF-8, Latin-1 characters only).
std::string text_pdf(const std::vector<std::vector<std::string>>& pages);
// A PDF that asks for a password before it shows anything.
std::string encrypted_pdf();
// A PDF of one page that draws a rectangle and holds no text (like a scanned page).
std::string pictures_only_pdf();
// A PDF whose one page's content inflates from a few kilobytes to `inflated_bytes` of nothing.
std::string bomb_pdf(std::size_t inflated_bytes);

}  // namespace mnemos::test
