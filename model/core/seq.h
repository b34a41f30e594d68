// Wrap-safe 32-bit TCP sequence numbers (RFC 1982 style serial arithmetic).
// Unlike the paper's presentation (§3.3), deltas are applied with wrap-around.
#ifndef DYSCO_CORE_SEQ_H
#define DYSCO_CORE_SEQ_H

#include <cstdint>

namespace dysco
{

/// A sequence-number difference: signed, so a middlebox may grow or shrink the stream.
using SeqDelta = int32_t;

class Seq
{
public:
    constexpr Seq() = default;
    constexpr explicit Seq(uint32_t v)
        : m_value(v)
    {
    }

    constexpr uint32_t Value() const { return m_value; }

    constexpr Seq operator+(SeqDelta d) const { return Seq(m_value + uint32_t(d)); }
    constexpr Seq operator-(SeqDelta d) const { return Seq(m_value - uint32_t(d)); }
    Seq& operator+=(SeqDelta d)
    {
        m_value += uint32_t(d);
        return *this;
    }
    Seq& operator-=(SeqDelta d)
    {
        m_value -= uint32_t(d);
        return *this;
    }
    /// Signed distance a - b, valid while |a - b| < 2^31.
    constexpr SeqDelta operator-(Seq o) const { return SeqDelta(m_value - o.m_value); }

    constexpr bool operator==(Seq o) const { return m_value == o.m_value; }
    constexpr bool operator!=(Seq o) const { return m_value != o.m_value; }
    /// Ordering modulo 2^32: a < b iff (int32)(a - b) < 0. Not transitive over the full
    /// circle, which is why callers only compare numbers within one window. Two numbers
    /// exactly 2^31 apart are each "less" than the other (RFC 1982 leaves this undefined).
    constexpr bool operator<(Seq o) const { return int32_t(m_value - o.m_value) < 0; }
    constexpr bool operator<=(Seq o) const { return int32_t(m_value - o.m_value) <= 0; }
    constexpr bool operator>(Seq o) const { return int32_t(m_value - o.m_value) > 0; }
    constexpr bool operator>=(Seq o) const { return int32_t(m_value - o.m_value) >= 0; }

private:
    uint32_t m_value = 0;
};

constexpr Seq
SeqMax(Seq a, Seq b)
{
    return a < b ? b : a;
}

constexpr Seq
SeqMin(Seq a, Seq b)
{
    return a < b ? a : b;
}

} // namespace dysco

#endif
