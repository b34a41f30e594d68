#include "property_no_data_loss.h"

#include "trace_format.h"
#include "z3_query.h"

namespace dysco
{
namespace verify
{

namespace
{

/// One piece of the expected receiver stream.
struct Piece
{
    uint64_t offset = 0; ///< in the receiver's stream
    uint32_t length = 0;
    uint64_t hash = 0;
    uint32_t source = 0; ///< W or X record that produced it
};

/// What one direction of a session consists of; built the same way for scan and Z3.
struct DirectionData
{
    std::vector<Piece> pieces;
    std::vector<uint32_t> reads; ///< R records of the receiver, trace order
    bool complete = false;       ///< receiver closed with FIN: every piece must be read
    int64_t editDelta = 0;       ///< sum of inserted - removed over the edits
    bool hasEdits = false;
    uint64_t writtenBytes = 0;
    uint32_t closeEvent = 0;
};

/// Expected pieces: the sender's writes in order, each edit's inserted bytes in place of the
/// writes it removed (the reader checked that edits sit on write boundaries and are in order).
DirectionData
Collect(const Trace& trace, const SessionView& s, Direction d)
{
    DirectionData out;
    std::vector<uint32_t> writes;
    std::vector<uint32_t> edits;
    uint16_t sender = s.Sender(d);
    uint16_t receiver = s.Receiver(d);
    bool closed = false;
    for (uint32_t i : s)
    {
        const Event& e = trace.events[i];
        switch (e.kind)
        {
        case EventKind::kWrite:
            if (e.node == sender)
            {
                writes.push_back(i);
            }
            break;
        case EventKind::kRead:
            if (e.node == receiver)
            {
                out.reads.push_back(i);
            }
            break;
        case EventKind::kEdit:
            if (std::get<Edit>(e.payload).dir == d)
            {
                edits.push_back(i);
            }
            break;
        case EventKind::kClose:
            if (e.node == receiver && !closed)
            {
                closed = true;
                out.complete = std::get<Close>(e.payload).how == CloseHow::kFin;
                out.closeEvent = i;
            }
            break;
        default:
            break;
        }
    }
    uint64_t roff = 0;
    uint64_t skipUntil = 0;
    size_t ei = 0;
    auto emitEdit = [&](uint32_t idx)
    {
        const Edit& x = std::get<Edit>(trace.events[idx].payload);
        out.editDelta += int64_t(x.inserted) - int64_t(x.removed);
        out.hasEdits = true;
        if (x.inserted > 0)
        {
            out.pieces.push_back(Piece{roff, x.inserted, x.hash, idx});
            roff += x.inserted;
        }
        skipUntil = std::max(skipUntil, x.offset + x.removed);
    };
    for (uint32_t w : writes)
    {
        const auto& r = std::get<StreamRange>(trace.events[w].payload);
        while (ei < edits.size() &&
               std::get<Edit>(trace.events[edits[ei]].payload).offset <= r.offset)
        {
            emitEdit(edits[ei++]);
        }
        out.writtenBytes = r.offset + r.length;
        if (r.offset < skipUntil)
        {
            continue;
        }
        out.pieces.push_back(Piece{roff, r.length, r.hash, w});
        roff += r.length;
    }
    while (ei < edits.size())
    {
        emitEdit(edits[ei++]);
    }
    return out;
}

std::string
Range(uint64_t off, uint64_t len)
{
    return "[" + std::to_string(off) + ", " + std::to_string(off + len) + ")";
}

void
ScanDirection(const Trace& trace, const SessionView& s, Direction d, ScanResult& res)
{
    DirectionData dd = Collect(trace, s, d);
    int64_t declared = s.info->delta[size_t(d)];
    if (dd.pieces.empty() && dd.reads.empty() && !dd.hasEdits && declared == 0)
    {
        return;
    }
    res.applicable = true;
    const std::string stream = std::string("the ") + DirectionWords(d) + " stream";
    const std::string& rname = trace.NodeName(s.Receiver(d));
    auto add = [&](uint32_t event, std::string text, std::vector<uint32_t> related = {})
    {
        res.violations.push_back(
            Violation{PropertyId::kNoDataLoss, s.sid, event, std::move(related), std::move(text)});
    };
    const size_t n = dd.reads.size();
    for (size_t k = 0; k < n; ++k)
    {
        uint32_t ri = dd.reads[k];
        const auto& r = std::get<StreamRange>(trace.events[ri].payload);
        if (k >= dd.pieces.size())
        {
            uint64_t total =
                dd.pieces.empty() ? 0 : dd.pieces.back().offset + dd.pieces.back().length;
            add(ri, rname + " read bytes " + Range(r.offset, r.length) + " of " + stream +
                        ", but the sender's stream (with declared edits) has only " +
                        std::to_string(total) + " bytes: data that was never written");
            continue;
        }
        const Piece& p = dd.pieces[k];
        // Explanations are built only for offending reads (this runs on every read).
        auto srcText = [&]()
        {
            return (trace.events[p.source].kind == EventKind::kWrite ? "written by "
                                                                     : "inserted by ") +
                   EventRef(trace, p.source);
        };
        if (r.offset != p.offset)
        {
            add(ri,
                rname + " read bytes " + Range(r.offset, r.length) + " of " + stream +
                    " as its read #" + std::to_string(k + 1) +
                    ", but the next bytes of the stream are " + Range(p.offset, p.length) + " (" +
                    srcText() + "): bytes " + (r.offset > p.offset ? "missing" : "delivered twice"),
                {p.source});
            continue;
        }
        bool partialOk = k + 1 == n && !dd.complete && r.length < p.length;
        if (partialOk)
        {
            continue;
        }
        if (r.length != p.length)
        {
            add(ri,
                rname + " read bytes " + Range(r.offset, r.length) + " of " + stream +
                    ", but the sender's range there is " + Range(p.offset, p.length) + " (" +
                    srcText() + ")" + (r.length < p.length ? ": bytes missing" : ": extra bytes") +
                    " (reads are recorded per writer range)",
                {p.source});
            continue;
        }
        if (r.hash != p.hash)
        {
            add(ri,
                rname + " read bytes " + Range(r.offset, r.length) + " of " + stream +
                    " with content hash " + HashText(r.hash) +
                    ", but the sender's bytes there hash to " + HashText(p.hash) + " (" +
                    srcText() + "): content changed",
                {p.source});
        }
    }
    if (dd.complete && n < dd.pieces.size())
    {
        const Piece& p = dd.pieces[n];
        uint64_t total = dd.pieces.back().offset + dd.pieces.back().length;
        add(p.source,
            rname + " closed with FIN (" + EventRef(trace, dd.closeEvent) + ") after reading " +
                std::to_string(p.offset) + " bytes of " + stream + ", but the stream has " +
                std::to_string(total) + " bytes: bytes " + Range(p.offset, total - p.offset) +
                " were never read (the first unread piece " + Range(p.offset, p.length) +
                " comes from this record)",
            {dd.closeEvent});
    }
    if (dd.complete && dd.editDelta != declared)
    {
        add(s.decl, "the edits of " + stream + " change its length by " +
                        std::to_string(dd.editDelta) +
                        " bytes, but the session declares a delta of " + std::to_string(declared));
    }
}

void
EncodeDirection(ViolationQuery& q, const Trace& trace, const SessionView& s, Direction d)
{
    z3::context& c = q.Ctx();
    DirectionData dd = Collect(trace, s, d);
    // The expected stream: piece j starts where piece j-1 ended (a recurrence over the
    // piece lengths, not the offsets Collect computed).
    std::vector<z3::expr> pieceOff;
    z3::expr off = q.Int(0);
    for (const Piece& p : dd.pieces)
    {
        pieceOff.push_back(off);
        off = q.Step(off + q.Int(int64_t(p.length)));
    }
    const z3::expr pieceCount = q.Int(int64_t(dd.pieces.size()));
    const z3::expr readCount = q.Int(int64_t(dd.reads.size()));
    const z3::expr complete = q.Bool(dd.complete);
    for (size_t k = 0; k < dd.reads.size(); ++k)
    {
        uint32_t ri = dd.reads[k];
        const auto& r = std::get<StreamRange>(trace.events[ri].payload);
        const z3::expr kk = q.Int(int64_t(k));
        const z3::expr rOff = q.Int(int64_t(r.offset));
        const z3::expr rLen = q.Int(int64_t(r.length));
        const z3::expr rHash = q.Bv64(r.hash);
        z3::expr matches = c.bool_val(false);
        if (k < dd.pieces.size())
        {
            const Piece& p = dd.pieces[k];
            const z3::expr pLen = q.Int(int64_t(p.length));
            const z3::expr isLast = kk + 1 == readCount;
            const z3::expr exact = rLen == pLen && rHash == q.Bv64(p.hash);
            const z3::expr prefix = isLast && !complete && rLen < pLen;
            matches = kk < pieceCount && rOff == pieceOff[k] && (exact || prefix);
            q.Witness(ri, "expected_offset", pieceOff[k]);
            q.Witness(ri, "expected_hash", q.Bv64(p.hash));
        }
        q.Candidate(ri, !matches);
        q.Witness(ri, "read_offset", rOff);
        q.Witness(ri, "read_hash", rHash);
    }
    // Completeness: a FIN-closed receiver read every piece.
    if (dd.reads.size() < dd.pieces.size())
    {
        q.Candidate(dd.pieces[dd.reads.size()].source, complete && readCount < pieceCount);
    }
    // Declared delta equals the edits' net change.
    std::vector<z3::expr> changes;
    for (uint32_t i : s)
    {
        const Event& e = trace.events[i];
        if (e.kind == EventKind::kEdit && std::get<Edit>(e.payload).dir == d)
        {
            const Edit& x = std::get<Edit>(e.payload);
            changes.push_back(q.Int(int64_t(x.inserted)) - q.Int(int64_t(x.removed)));
        }
    }
    z3::expr sum = q.Int(0);
    for (const auto& ch : changes)
    {
        sum = sum + ch;
    }
    q.Candidate(s.decl, complete && sum != q.Int(s.info->delta[size_t(d)]));
}

} // namespace

ScanResult
ScanNoDataLoss(const Trace& trace, const SessionView& s)
{
    ScanResult res;
    ScanDirection(trace, s, Direction::kClientToServer, res);
    ScanDirection(trace, s, Direction::kServerToClient, res);
    return res;
}

Z3Result
Z3NoDataLoss(z3::context& ctx, const Trace& trace, const SessionView& s, unsigned timeoutMs)
{
    ViolationQuery q(ctx);
    EncodeDirection(q, trace, s, Direction::kClientToServer);
    EncodeDirection(q, trace, s, Direction::kServerToClient);
    return q.Solve(timeoutMs);
}

} // namespace verify
} // namespace dysco
