// Control-message protection (§2.3: "nonces against off-path attackers, protected control
// messages on-path"). Two levels, chosen per agent:
//   nonce: the first agent of a chain draws a 64-bit session nonce and sends it in the SYN
//          payload; every agent of the chain stores it and every control message for the
//          session carries it. An off-path node never sees the SYN, so it cannot forge one.
//   hmac:  in addition, messages carry HMAC-SHA256 (truncated to 16 bytes) under a per-chain
//          key the policy names (key id in the SYN payload, keys configured at every agent),
//          so an on-path node that read the nonce still cannot forge or modify a message.
// Replays are stopped by the control channel's per-peer serial window (control_channel.h).
#ifndef DYSCO_CORE_CONTROL_AUTH_H
#define DYSCO_CORE_CONTROL_AUTH_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct evp_mac_ctx_st; // OpenSSL's EVP_MAC_CTX

namespace dysco
{

enum class ControlProtection : uint8_t
{
    kOff,   ///< the paper's prototype: control messages are trusted
    kNonce, ///< session nonce required in every control message
    kHmac,  ///< nonce, and an HMAC under the chain's key when the policy names one
};

const char* ToString(ControlProtection p);
/// "off", "nonce" or "hmac"; false for anything else.
bool ParseControlProtection(const std::string& s, ControlProtection* out);

constexpr size_t kControlMacSize = 16;
using ControlMac = std::array<uint8_t, kControlMacSize>;

/// A chain key and an OpenSSL HMAC context keyed with it once (each MAC works on a copy:
/// fetching the digest and keying per message would cost several times the MAC itself).
struct ChainKey
{
    std::vector<uint8_t> bytes;
    std::shared_ptr<evp_mac_ctx_st> keyed; ///< never used directly, only duplicated
};

/// Chain keys by id (id 0 means "no key"). Keys are at least 16 bytes.
class KeyRing
{
public:
    /// False (nothing stored) for id 0, a key shorter than 16 bytes, or no HMAC in OpenSSL.
    bool Add(uint32_t id, std::vector<uint8_t> key);
    const ChainKey* Find(uint32_t id) const;
    bool Empty() const { return m_keys.empty(); }

private:
    std::map<uint32_t, ChainKey> m_keys;
};

/// HMAC-SHA256 of data[0, len) under `key`, truncated to 16 bytes (OpenSSL).
ControlMac ComputeControlMac(const ChainKey& key, const uint8_t* data, size_t len);
/// Constant-time comparison of a received MAC with the expected one.
bool MacEquals(const ControlMac& a, const ControlMac& b);

/// Session nonces: a seeded generator (reproducible simulations) or, with seed 0, the OpenSSL
/// CSPRNG for each nonce. Never returns 0 (0 means "no nonce").
class NonceSource
{
public:
    explicit NonceSource(uint64_t seed = 0);
    uint64_t Next();

private:
    uint64_t m_state;
};

} // namespace dysco

#endif
