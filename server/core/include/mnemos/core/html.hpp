#pragma once
#include <string>
#include <string_view>

namespace mnemos::html {

// &amp; &lt; &gt; &quot; &apos; &#39; &nbsp; and numeric references; unknown ones stay as they are.
// Control characters other than tab and line breaks are dropped.
std::string decode_entities(std::string_view text);

}  // namespace mnemos::html
