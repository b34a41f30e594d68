#include "trace_pieces.h"

namespace dyscosim
{

PieceRange
StreamPieces::Write(const uint8_t* data, uint32_t n)
{
    PieceRange r;
    Write(
        data, n, [&](const PieceRange& w) { r = w; }, [](const PieceEdit&) {});
    return r;
}

bool
StreamPieces::Partial(PieceRange* out) const
{
    if (m_pending.empty() || m_read <= m_pending.front().offset)
    {
        return false;
    }
    const Pending& p = m_pending.front();
    *out = PieceRange{p.offset, uint32_t(m_read - p.offset), m_hasher.Value()};
    return true;
}

} // namespace dyscosim
