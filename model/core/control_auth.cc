#include "control_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
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
    m_keys[id] = std::move(key);
    return true;
}

const std::vector<uint8_t>*
KeyRing::Find(uint32_t id) const
{
    auto it = m_keys.find(id);
    return it == m_keys.end() ? nullptr : &it->second;
}

ControlMac
ComputeControlMac(const std::vector<uint8_t>& key, const uint8_t* data, size_t len)
{
    uint8_t full[EVP_MAX_MD_SIZE];
    unsigned int fullLen = 0;
    ControlMac mac{};
    if (HMAC(EVP_sha256(), key.data(), int(key.size()), data, len, full, &fullLen) != nullptr &&
        fullLen >= kControlMacSize)
    {
        std::copy(full, full + kControlMacSize, mac.begin());
    }
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
