// One direction of a session's byte stream as the trace reports it (verification/README.md,
// "Reads, pieces and content changes"): a W record per socket write of the sender, and an R
// record per *writer range* at the receiver, hashed over however many socket reads it took.
// Socket reads are chunked differently from writes, and a hash of a union cannot be built from
// the hashes of its parts; since the simulation holds both ends, the writes' boundaries are
// known here when the bytes are read (a byte is always written before it is read).
#ifndef DYSCOSIM_TRACE_PIECES_H
#define DYSCOSIM_TRACE_PIECES_H

#include "content_hash.h"

#include <cstdint>
#include <deque>

namespace dyscosim
{

struct PieceRange
{
    uint64_t offset = 0;
    uint32_t length = 0;
    uint64_t hash = 0;
};

class StreamPieces
{
public:
    /// A write of n bytes at the end of the stream; returns its range.
    PieceRange Write(const uint8_t* data, uint32_t n);

    /// n bytes read in order; calls emit(const PieceRange&) for every writer range they
    /// complete. Bytes beyond everything written (which the sender never wrote) are reported
    /// as one range of their own, so the checker sees them.
    template <typename F> void Read(const uint8_t* data, uint32_t n, F emit)
    {
        while (n > 0)
        {
            if (m_pending.empty())
            {
                emit(PieceRange{m_read, n, dysco::verify::ContentHash(data, n)});
                m_read += n;
                return;
            }
            const Pending& p = m_pending.front();
            const uint64_t left = p.offset + p.length - m_read;
            const uint32_t take = left < n ? uint32_t(left) : n;
            m_hasher.Update(data, take);
            m_read += take;
            data += take;
            n -= take;
            if (m_read == p.offset + p.length)
            {
                emit(PieceRange{p.offset, p.length, m_hasher.Value()});
                m_hasher.Reset();
                m_pending.pop_front();
            }
        }
    }

    /// The writer range read only in part so far (the connection ended inside it), if any.
    bool Partial(PieceRange* out) const;

    uint64_t Written() const { return m_written; }
    uint64_t ReadBytes() const { return m_read; }

private:
    struct Pending
    {
        uint64_t offset;
        uint32_t length;
    };

    std::deque<Pending> m_pending; ///< writes not yet read completely, in order
    uint64_t m_written = 0;
    uint64_t m_read = 0;
    dysco::verify::ContentHasher m_hasher; ///< over the read part of m_pending.front()
};

} // namespace dyscosim

#endif
