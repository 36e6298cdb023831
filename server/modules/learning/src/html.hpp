#pragma once
// Turning the HTML other tools store (Anki fields, GIFT's [html] questions) into the Markdown
// Mnemos keeps. Not a full HTML parser: what cards hold (text, line breaks, bold, italics, lists,
// images, sounds) is kept; every other tag is dropped and never reaches a browser as HTML.
#include <mnemos/core/html.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace mnemos::learning::html {

using ::mnemos::html::decode_entities;  // core/html.hpp

// The file names of the pictures (<img src="...">) and sounds (Anki's [sound:...]) a text shows,
// in order, once each.
std::vector<std::string> media_in(std::string_view html);

struct Converted {
  std::string markdown;
};

// Markdown for an HTML fragment: <br>, <div> and <p> become line breaks, <b>/<strong> **, <i>/<em>
// *, <li> "- ", <img src="name"> "![](placeholder)" and [sound:name] "![audio](placeholder)" (the
// importer swaps the address in), script and style are removed with their content, other tags are
// dropped, entities decoded, blank lines collapsed. Text that was escaped in the HTML stays text:
// a "<" from "&lt;" is written "\\<", so "&lt;script&gt;" never becomes a tag in the Markdown.
Converted to_markdown(std::string_view html);

// A label for people (an import report's line): each placeholder replaced by the file's name in
// brackets, so no internal marker reaches a screen.
std::string readable_label(std::string_view markdown);

// The placeholder to_markdown writes for a picture or sound, before the importer knows its address.
std::string media_placeholder(std::string_view name);

}  // namespace mnemos::learning::html
