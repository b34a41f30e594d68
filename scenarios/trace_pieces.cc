#include "trace_pieces.h"

namespace dyscosim
{

PieceRange
StreamPieces::Write(const uint8_t* data, uint32_t n)
{
    PieceRange r{m_written, n, dysco::verify::ContentHash(data, n)};
    m_pending.push_back(Pending{m_written, n});
    m_written += n;
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
