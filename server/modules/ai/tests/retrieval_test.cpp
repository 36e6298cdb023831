// Vectors as stored, and their similarity (docs/ai.md, "Search").
#include "../src/retrieval.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace mnemos::ai {
namespace {

TEST(PassageVectors, ReadBackExactlyAsWritten) {
  const std::vector<float> vector{0.0F, -1.5F, 3.25e-7F, 1e30F, std::numeric_limits<float>::denorm_min()};
  const auto hex = encode_vector(vector);
  EXPECT_EQ(hex.size(), vector.size() * 8);
  EXPECT_EQ(hex.substr(8, 8), "0000c0bf");  // -1.5, little-endian, whatever the machine
  EXPECT_EQ(decode_vector(hex), vector);
}

TEST(PassageVectors, AMalformedOneReadsAsNone) {
  EXPECT_TRUE(decode_vector("0000c0b").empty());
  EXPECT_TRUE(decode_vector("0000c0bZ").empty());
  EXPECT_TRUE(decode_vector("").empty());
}

TEST(PassageVectors, CosineComparesDirectionsAndNothingElse) {
  EXPECT_NEAR(cosine({1, 0}, {2, 0}), 1.0, 1e-12);
  EXPECT_NEAR(cosine({1, 0}, {0, 3}), 0.0, 1e-12);
  EXPECT_NEAR(cosine({1, 1}, {-1, -1}), -1.0, 1e-12);
  EXPECT_NEAR(cosine({1, 1}, {1, 0}), std::sqrt(0.5), 1e-12);
  // Vectors of another model (another length), or of nothing: not similar.
  EXPECT_EQ(cosine({1, 0, 0}, {1, 0}), 0.0);
  EXPECT_EQ(cosine({0, 0}, {1, 0}), 0.0);
}

}  // namespace
}  // namespace mnemos::ai
