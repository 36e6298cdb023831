#include <mnemos/core/logging.hpp>
#include <mnemos/core/security.hpp>

#include <gtest/gtest.h>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  mnemos::init_logging("text", "warn");
  mnemos::security::init();
  return RUN_ALL_TESTS();
}
