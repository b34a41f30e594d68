// Content hash of a stream range: FNV-1a 64 over the bytes. Streaming, so a receiver can
// hash a writer's range across several socket reads (Update per read, Value at the boundary).
#ifndef DYSCO_VERIFY_CONTENT_HASH_H
#define DYSCO_VERIFY_CONTENT_HASH_H

#include <cstddef>
#include <cstdint>

namespace dysco
{
namespace verify
{

class ContentHasher
{
public:
    static constexpr uint64_t kOffsetBasis = 0xcbf29ce484222325ull;
    static constexpr uint64_t kPrime = 0x100000001b3ull;

    void Update(const uint8_t* data, size_t n)
    {
        uint64_t h = m_hash;
        for (size_t i = 0; i < n; ++i)
        {
            h = (h ^ data[i]) * kPrime;
        }
        m_hash = h;
    }
    uint64_t Value() const { return m_hash; }
    void Reset() { m_hash = kOffsetBasis; }

private:
    uint64_t m_hash = kOffsetBasis;
};

inline uint64_t
ContentHash(const uint8_t* data, size_t n)
{
    ContentHasher h;
    h.Update(data, n);
    return h.Value();
}

} // namespace verify
} // namespace dysco

#endif
