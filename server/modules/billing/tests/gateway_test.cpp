// Webhook signatures in Stripe's scheme: HMAC-SHA256 of "t.payload", any matching v1, a tolerance.
#include "../src/gateway.hpp"

#include <gtest/gtest.h>

namespace mnemos::billing {
namespace {

TEST(WebhookSignature, ASignedPayloadIsAcceptedOnlyAsSignedAndInTime) {
  const std::string payload = R"({"id":"evt_1","type":"payment_intent.succeeded"})";
  const std::int64_t t = 1'780'000'000;
  const auto header = sign_payload(payload, "whsec_a", t);
  EXPECT_EQ(verify_signature(header, payload, "whsec_a", t), SignatureCheck::valid);
  EXPECT_EQ(verify_signature(header, payload, "whsec_a", t + 300), SignatureCheck::valid);
  EXPECT_EQ(verify_signature(header, payload, "whsec_a", t + 301), SignatureCheck::too_old);
  EXPECT_EQ(verify_signature(header, payload, "whsec_a", t - 301), SignatureCheck::too_old);  // from the future
  EXPECT_EQ(verify_signature(header, payload, "whsec_b", t), SignatureCheck::mismatch);
  EXPECT_EQ(verify_signature(header, payload + " ", "whsec_a", t), SignatureCheck::mismatch);
  // Several v1 (a secret being rolled): one match is enough; v0 and unknown keys are ignored.
  const auto v1 = header.substr(header.find("v1="));
  EXPECT_EQ(verify_signature("t=" + std::to_string(t) + ",v0=abc,v1=00ff," + v1 + ",x=1", payload, "whsec_a", t),
            SignatureCheck::valid);
  EXPECT_EQ(verify_signature("", payload, "whsec_a", t), SignatureCheck::malformed);
  EXPECT_EQ(verify_signature("t=abc," + v1, payload, "whsec_a", t), SignatureCheck::malformed);
  EXPECT_EQ(verify_signature("t=" + std::to_string(t), payload, "whsec_a", t), SignatureCheck::malformed);
}

TEST(WebhookSignature, MatchesAValueComputedElsewhere) {
  // python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_test', b'1700000000.{}', hashlib.sha256).hexdigest())"
  EXPECT_EQ(sign_payload("{}", "whsec_test", 1'700'000'000),
            "t=1700000000,v1=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91");
}

}  // namespace
}  // namespace mnemos::billing
