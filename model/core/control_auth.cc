#include "control_auth.h"

#include <algorithm>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

namespace dysco
{

const char*
ToString(ControlProtection p)
{
    switch (p)
    {
    case ControlProtection::kOff:
        return "off";
    case ControlProtection::kNonce:
        return "nonce";
    case ControlProtection::kHmac:
        return "hmac";
    }
    return "unknown";
}

bool
ParseControlProtection(const std::string& s, ControlProtection* out)
{
    for (ControlProtection p :
         {ControlProtection::kOff, ControlProtection::kNonce, ControlProtection::kHmac})
    {
        if (s == ToString(p))
        {
            *out = p;
            return true;
        }
    }
    return false;
}

bool
KeyRing::Add(uint32_t id, std::vector<uint8_t> key)
{
    if (id == 0 || key.size() < 16)
    {
        return false;
    }
    EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (hmac == nullptr)
    {
        return false;
    }
    std::shared_ptr<evp_mac_ctx_st> ctx(EVP_MAC_CTX_new(hmac), EVP_MAC_CTX_free);
    EVP_MAC_free(hmac); // the context keeps its own reference
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (!ctx || EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1)
    {
        return false;
    }
    m_keys[id] = ChainKey{std::move(key), std::move(ctx)};
    return true;
}

const ChainKey*
KeyRing::Find(uint32_t id) const
{
    auto it = m_keys.find(id);
    return it == m_keys.end() ? nullptr : &it->second;
}

ControlMac
ComputeControlMac(const ChainKey& key, const uint8_t* data, size_t len)
{
    ControlMac mac{};
    uint8_t full[EVP_MAX_MD_SIZE];
    size_t fullLen = 0;
    EVP_MAC_CTX* c = EVP_MAC_CTX_dup(key.keyed.get());
    if (c != nullptr && EVP_MAC_update(c, data, len) == 1 &&
        EVP_MAC_final(c, full, &fullLen, sizeof(full)) == 1 && fullLen >= kControlMacSize)
    {
        std::copy(full, full + kControlMacSize, mac.begin());
    }
    EVP_MAC_CTX_free(c);
    return mac;
}

bool
MacEquals(const ControlMac& a, const ControlMac& b)
{
    return CRYPTO_memcmp(a.data(), b.data(), kControlMacSize) == 0;
}

NonceSource::NonceSource(uint64_t seed)
    : m_state(seed)
{
}

uint64_t
NonceSource::Next()
{
    uint64_t z = 0;
    if (m_state == 0)
    {
        // Unseeded (a real deployment): every nonce straight from the CSPRNG, so seeing one
        // session's nonce tells nothing about another's.
        while (z == 0 && RAND_bytes(reinterpret_cast<unsigned char*>(&z), sizeof(z)) == 1)
        {
        }
        if (z != 0)
        {
            return z;
        }
        m_state = 0x9E3779B97F4A7C15ull; // no entropy source: fall back to the generator
    }
    // Seeded (reproducible simulations): splitmix64.
    do
    {
        z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
    } while (z == 0);
    return z;
}

} // namespace dysco
