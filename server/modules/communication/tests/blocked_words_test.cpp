// The school's blocked words as a reader compares them: case, accents and punctuation aside,
// whole words and phrases only.
#include "../src/service.hpp"

#include <gtest/gtest.h>

namespace mnemos::communication {
namespace {

TEST(BlockedWords, AWordIsFoundWhateverItsCaseAccentsOrPunctuation) {
  const std::vector<std::string> blocked{"crétin", "pauvre nul"};
  EXPECT_EQ(blocked_word_in("Ce CRETIN de robot !", blocked), "crétin");
  EXPECT_EQ(blocked_word_in("crétin.", blocked), "crétin");
  EXPECT_EQ(blocked_word_in("Quel pauvre   nul...", blocked), "pauvre nul");
  EXPECT_EQ(blocked_word_in("Pauvre\nNUL", blocked), "pauvre nul");
}

TEST(BlockedWords, AWordThatOnlyHoldsABlockedOneIsNotIt) {
  const std::vector<std::string> blocked{"nul", "pauvre nul"};
  EXPECT_EQ(blocked_word_in("La nullité n'est pas un mot bloqué", blocked), std::nullopt);
  EXPECT_EQ(blocked_word_in("annulé", blocked), std::nullopt);
  EXPECT_EQ(blocked_word_in("pauvre, mais pas nul", blocked), "nul");
  EXPECT_EQ(blocked_word_in("", blocked), std::nullopt);
  EXPECT_EQ(blocked_word_in("nul", {}), std::nullopt);
}

}  // namespace
}  // namespace mnemos::communication
