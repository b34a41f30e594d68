// One direction of a session's byte stream as the trace reports it (verification/README.md,
// "Reads, pieces and content changes"): a W record per socket write of the sender, and an R
// record per *writer range* at the receiver, hashed over however many socket reads it took.
// Socket reads are chunked differently from writes, and a hash of a union cannot be built from
// the hashes of its parts; since the simulation holds both ends, the writes' boundaries are
// known here when the bytes are read (a byte is always written before it is read). With a
// content modifier's edit, pieces are those of the modified stream.
#ifndef DYSCOSIM_TRACE_PIECES_H
#define DYSCOSIM_TRACE_PIECES_H

#include "content_hash.h"

#include <cstdint>
#include <deque>
#include <optional>

namespace dyscosim
{

struct PieceRange
{
    uint64_t offset = 0;
    uint32_t length = 0;
    uint64_t hash = 0;
};

/// A content modifier's edit of the stream (README "Content changes"): the writer's bytes
/// [offset, offset + removed) become `inserted` bytes hashing to `hash`.
struct PieceEdit
{
    uint64_t offset = 0;
    uint64_t removed = 0;
    uint32_t inserted = 0;
    uint64_t hash = 0;
};

class StreamPieces
{
public:
    /// The stream passes a content modifier: writes are cut at the edit's boundaries, the
    /// removed ones are not expected at the receiver, the inserted bytes are. Set it before
    /// the first write.
    void SetEdit(const PieceEdit& edit) { m_edit = edit; }

    /// Emits an edit that inserts where the stream is now at once (before the writer's next
    /// byte): the inserted bytes may be read before the writer writes anything (a proxy's
    /// reply comes before the server's first byte).
    template <typename X> void EditNow(X emitEdit)
    {
        if (m_edit && !m_editDone && m_written == m_edit->offset && m_edit->removed == 0)
        {
            m_editDone = true;
            emitEdit(*m_edit);
            Expect(m_edit->inserted);
        }
    }

    /// A write of n bytes at the end of the stream (no edit set); returns its range.
    PieceRange Write(const uint8_t* data, uint32_t n);

    /// A write of n bytes at the end of the stream: calls emitWrite(const PieceRange&) for
    /// each writer range it makes (cut at the edit's boundaries), and emitEdit(const
    /// PieceEdit&) once, when the stream reaches the edit's offset.
    template <typename W, typename X>
    void Write(const uint8_t* data, uint32_t n, W emitWrite, X emitEdit)
    {
        while (n > 0)
        {
            uint32_t take = n;
            if (m_edit)
            {
                for (uint64_t b : {m_edit->offset, m_edit->offset + m_edit->removed})
                {
                    if (b > m_written && b < m_written + take)
                    {
                        take = uint32_t(b - m_written);
                    }
                }
                if (!m_editDone && m_written == m_edit->offset)
                {
                    m_editDone = true;
                    emitEdit(*m_edit);
                    Expect(m_edit->inserted);
                }
            }
            emitWrite(PieceRange{m_written, take, dysco::verify::ContentHash(data, take)});
            const bool removed = m_edit && m_written >= m_edit->offset &&
                                 m_written < m_edit->offset + m_edit->removed;
            if (!removed)
            {
                Expect(take);
            }
            m_written += take;
            data += take;
            n -= take;
        }
    }

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
        uint64_t offset; ///< in the receiver's stream
        uint32_t length;
    };

    /// The receiver's next `n` bytes are one piece.
    void Expect(uint32_t n)
    {
        if (n > 0)
        {
            m_pending.push_back(Pending{m_expected, n});
            m_expected += n;
        }
    }

    std::deque<Pending> m_pending; ///< writes not yet read completely, in order
    uint64_t m_written = 0;        ///< writer's stream
    uint64_t m_expected = 0;       ///< receiver's stream, as far as written
    uint64_t m_read = 0;           ///< receiver's stream
    std::optional<PieceEdit> m_edit;
    bool m_editDone = false;
    dysco::verify::ContentHasher m_hasher; ///< over the read part of m_pending.front()
};

} // namespace dyscosim

#endif
