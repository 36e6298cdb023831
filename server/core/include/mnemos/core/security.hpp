#pragma once
#include <string>
#include <string_view>

namespace mnemos::security {
// Must be called once before any other function here (initialises libsodium).
void init();
// argon2id hash in the PHC string format, with libsodium's interactive limits.
std::string hash_password(std::string_view password);
// Constant-time check of `password` against a hash from hash_password.
bool verify_password(std::string_view password, const std::string& hash);
// `bytes` random bytes as unpadded base64url text: session, CSRF and API tokens.
std::string random_token(std::size_t bytes = 32);
// Hex BLAKE2b-256 of a token: what the database stores instead of the token.
std::string token_hash(std::string_view token);
bool constant_time_equals(std::string_view a, std::string_view b);
// Hex SHA-256 of `bytes`: a stored document's fingerprint (an issued invoice's PDF).
std::string sha256_hex(std::string_view bytes);
}  // namespace mnemos::security
