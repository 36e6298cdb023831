#pragma once
// Writing a path's items as a Moodle GIFT file (docs/learning.md, "Exports"), so a teacher can take
// their questions back to Moodle. Pure functions, unit-tested; the import reads what this writes.
#include "domain.hpp"

#include <string>
#include <vector>

namespace mnemos::learning::gift {

struct Section {
  std::string category;     // "Path/Step": a Moodle question category
  std::vector<Item> items;  // in the step's order
};

// The GIFT text, UTF-8. Kinds GIFT cannot hold (ordering) and parts it cannot (a numerical card's
// units) are listed in comments at the top, each with its reason.
std::string write(const std::vector<Section>& sections);

}  // namespace mnemos::learning::gift
