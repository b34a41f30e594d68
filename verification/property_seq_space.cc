#include "property_seq_space.h"

#include "z3_query.h"

namespace dysco
{
namespace verify
{

namespace
{

int64_t
Off(uint32_t x, uint32_t base)
{
    return int64_t(int32_t(x - base));
}

/// Direction of the bytes endpoint `role` receives (role 0: client, 1: server).
Direction
Inbound(int role)
{
    return role == 0 ? Direction::kServerToClient : Direction::kClientToServer;
}

// ---------------------------------------------------------------------------------------
// Scan
// ---------------------------------------------------------------------------------------

struct Endpoint
{
    uint16_t node = 0;
    uint16_t peer = 0;
    bool ownKnown = false;
    uint32_t ownIsn = 0;
    int64_t sndMax = 0;
    bool peerKnown = false;
    uint32_t peerIsn = 0;
    int64_t avail = 0;
    bool peerFinSent = false;
    bool tsKnown = false;
    uint32_t tsFirst = 0;
    uint32_t tsMaxOff = 0;
};

void
OnSent(Endpoint& ep, const Segment& g)
{
    const bool syn = g.flags & tcpflag::kSyn;
    const bool fin = g.flags & tcpflag::kFin;
    if (syn && !ep.ownKnown)
    {
        ep.ownKnown = true;
        ep.ownIsn = g.seq;
    }
    if (ep.ownKnown)
    {
        int64_t end = Off(g.seq, ep.ownIsn + 1) + g.length + (syn ? 1 : 0) + (fin ? 1 : 0);
        ep.sndMax = std::max(ep.sndMax, end);
    }
    if (g.hasTimestamp)
    {
        if (!ep.tsKnown)
        {
            ep.tsKnown = true;
            ep.tsFirst = g.tsVal;
        }
        uint32_t off = g.tsVal - ep.tsFirst;
        if (int32_t(off) >= 0 && off > ep.tsMaxOff)
        {
            ep.tsMaxOff = off;
        }
    }
}

/// Empty string if the received segment is in E's space; else why not.
std::string
CheckReceived(const Trace& trace, const Endpoint& ep, const Segment& g)
{
    const bool syn = g.flags & tcpflag::kSyn;
    const bool ack = g.flags & tcpflag::kAck;
    const bool rst = g.flags & tcpflag::kRst;
    const std::string& me = trace.NodeName(ep.node);
    const std::string& peer = trace.NodeName(ep.peer);
    // Explanations are built only for offending segments (this runs on every segment).
    auto sent = [&]()
    {
        return me + " has sent only up to offset " + std::to_string(ep.sndMax) + " (seq " +
               std::to_string(uint32_t(ep.ownIsn + 1 + ep.sndMax)) + "; its ISN is " +
               std::to_string(ep.ownIsn) + ")";
    };
    if (syn)
    {
        if (ep.peerKnown && g.seq != ep.peerIsn)
        {
            return "a SYN with seq " + std::to_string(g.seq) + ", but " + peer +
                   "'s ISN in this session is " + std::to_string(ep.peerIsn);
        }
    }
    else if (!ep.peerKnown)
    {
        if (!rst)
        {
            return "a segment with seq " + std::to_string(g.seq) + " before " + me + " saw " +
                   peer + "'s SYN (no sequence space to belong to)";
        }
    }
    else
    {
        int64_t o = Off(g.seq, ep.peerIsn + 1);
        if (o < 0)
        {
            return "seq " + std::to_string(g.seq) + " lies before " + peer +
                   "'s first byte (ISN+1 = " + std::to_string(uint32_t(ep.peerIsn + 1)) +
                   "): stream offset " + std::to_string(o);
        }
        const int64_t end = o + int64_t(g.length) + ((g.flags & tcpflag::kFin) ? 1 : 0);
        if (end > ep.avail)
        {
            return "seq " + std::to_string(g.seq) + " reaches stream offset " +
                   std::to_string(end) + " (bytes [" + std::to_string(o) + ", " +
                   std::to_string(o + g.length) + ")" +
                   ((g.flags & tcpflag::kFin) ? " and a FIN" : "") + ") but " + peer +
                   " had made only " + std::to_string(ep.avail) +
                   " sequence numbers available (bytes written, edits, its FIN): a value from "
                   "another sequence space";
        }
    }
    if (ack)
    {
        if (!ep.ownKnown)
        {
            return "ack " + std::to_string(g.ack) + " before " + me + " sent its SYN";
        }
        int64_t a = Off(g.ack, ep.ownIsn + 1);
        if (a < 0 || a > ep.sndMax)
        {
            return "ack " + std::to_string(g.ack) + " acknowledges offset " + std::to_string(a) +
                   ", but " + sent();
        }
    }
    for (size_t b = 0; b < g.sackCount; ++b)
    {
        const SackBlock& sb = g.sack[b];
        if (!ep.ownKnown)
        {
            return "a SACK block before " + me + " sent its SYN";
        }
        int64_t l = Off(sb.left, ep.ownIsn + 1);
        int64_t r = Off(sb.right, ep.ownIsn + 1);
        if (l < 0 || r <= l || r > ep.sndMax)
        {
            return "SACK block [" + std::to_string(sb.left) + ", " + std::to_string(sb.right) +
                   ") = offsets [" + std::to_string(l) + ", " + std::to_string(r) +
                   ") is not a non-empty range of what " + me + " sent: " + sent();
        }
    }
    // TSecr 0 echoes nothing: a TCP that has not taken a TSval yet sends it (ns-3 does until
    // its first in-order segment when the peer's ISN is not 0).
    if (g.hasTimestamp && ack && g.tsEcr != 0)
    {
        if (!ep.tsKnown)
        {
            return "TSecr " + std::to_string(g.tsEcr) + " but " + me + " never sent a timestamp";
        }
        uint32_t off = g.tsEcr - ep.tsFirst;
        if (off > ep.tsMaxOff)
        {
            return "TSecr " + std::to_string(g.tsEcr) + " is not a TSval " + me +
                   " sent (its TSvals span [" + std::to_string(ep.tsFirst) + ", " +
                   std::to_string(uint32_t(ep.tsFirst + ep.tsMaxOff)) + "])";
        }
    }
    return {};
}

void
OnReceived(Endpoint& ep, const Segment& g)
{
    if ((g.flags & tcpflag::kSyn) && !ep.peerKnown)
    {
        ep.peerKnown = true;
        ep.peerIsn = g.seq;
    }
}

// ---------------------------------------------------------------------------------------
// Z3: the same monitor as equations over fresh constants, one step per relevant record.
// ---------------------------------------------------------------------------------------

struct Z3Endpoint
{
    uint16_t node;
    uint16_t peer;
    z3::expr ownKnown, ownIsn, sndMax, peerKnown, peerIsn, avail, peerFin, tsKnown, tsFirst,
        tsMaxOff;
};

Z3Endpoint
InitialZ3(ViolationQuery& q, uint16_t node, uint16_t peer)
{
    return Z3Endpoint{node,      peer,      q.Bool(false), q.Bv32(0),     q.Bv64(0), q.Bool(false),
                      q.Bv32(0), q.Bv64(0), q.Bool(false), q.Bool(false), q.Bv32(0), q.Bv32(0)};
}

void
Z3Sent(ViolationQuery& q, Z3Endpoint& ep, const Segment& g)
{
    const z3::expr seq = q.Bv32(g.seq);
    const bool syn = g.flags & tcpflag::kSyn;
    const bool fin = g.flags & tcpflag::kFin;
    const z3::expr isSyn = q.Bool(syn);
    z3::expr known = q.Step(ep.ownKnown || isSyn);
    z3::expr isn = q.Step(z3::ite(!ep.ownKnown && isSyn, seq, ep.ownIsn));
    z3::expr end = SeqOffset(seq, isn + q.Bv32(1)) +
                   q.Bv64(uint64_t(g.length) + (syn ? 1 : 0) + (fin ? 1 : 0));
    ep.sndMax = q.Step(z3::ite(known && z3::sgt(end, ep.sndMax), end, ep.sndMax));
    ep.ownKnown = known;
    ep.ownIsn = isn;
    if (g.hasTimestamp)
    {
        const z3::expr tsVal = q.Bv32(g.tsVal);
        z3::expr first = q.Step(z3::ite(ep.tsKnown, ep.tsFirst, tsVal));
        z3::expr off = tsVal - first;
        ep.tsMaxOff =
            q.Step(z3::ite(z3::sge(off, q.Bv32(0)) && z3::ugt(off, ep.tsMaxOff), off, ep.tsMaxOff));
        ep.tsFirst = first;
        ep.tsKnown = q.Bool(true);
    }
}

z3::expr
Z3Violates(ViolationQuery& q, const Z3Endpoint& ep, const Segment& g)
{
    const z3::expr seq = q.Bv32(g.seq);
    const z3::expr ack = q.Bv32(g.ack);
    const z3::expr len = q.Bv64(g.length);
    const z3::expr syn = q.Bool(g.flags & tcpflag::kSyn);
    const z3::expr hasAck = q.Bool(g.flags & tcpflag::kAck);
    const z3::expr rst = q.Bool(g.flags & tcpflag::kRst);
    const z3::expr one = q.Bv32(1);
    const z3::expr zero64 = q.Bv64(0);

    const z3::expr synWrong = syn && ep.peerKnown && seq != ep.peerIsn;
    const z3::expr o = SeqOffset(seq, ep.peerIsn + one);
    const z3::expr finSlot = q.Bv64((g.flags & tcpflag::kFin) ? 1 : 0);
    const z3::expr seqWrong =
        !syn && ((!ep.peerKnown && !rst) ||
                 (ep.peerKnown && (z3::slt(o, zero64) || z3::sgt(o + len + finSlot, ep.avail))));
    const z3::expr a = SeqOffset(ack, ep.ownIsn + one);
    const z3::expr ackWrong =
        hasAck && (!ep.ownKnown || z3::slt(a, zero64) || z3::sgt(a, ep.sndMax));
    std::vector<z3::expr> sackWrong;
    for (size_t b = 0; b < g.sackCount; ++b)
    {
        const z3::expr l = SeqOffset(q.Bv32(g.sack[b].left), ep.ownIsn + one);
        const z3::expr r = SeqOffset(q.Bv32(g.sack[b].right), ep.ownIsn + one);
        sackWrong.push_back(!ep.ownKnown || z3::slt(l, zero64) || z3::sle(r, l) ||
                            z3::sgt(r, ep.sndMax));
    }
    const z3::expr tsWrong = q.Bool(g.hasTimestamp && g.tsEcr != 0) && hasAck &&
                             (!ep.tsKnown || z3::ugt(q.Bv32(g.tsEcr) - ep.tsFirst, ep.tsMaxOff));
    return synWrong || seqWrong || ackWrong || AnyOf(q.Ctx(), sackWrong) || tsWrong;
}

void
Z3Received(ViolationQuery& q, Z3Endpoint& ep, const Segment& g)
{
    if (!(g.flags & tcpflag::kSyn))
    {
        return; // the update below is the identity for non-SYN segments
    }
    const z3::expr seq = q.Bv32(g.seq);
    ep.peerIsn = q.Step(z3::ite(ep.peerKnown, ep.peerIsn, seq));
    ep.peerKnown = q.Bool(true);
}

} // namespace

ScanResult
ScanSeqSpace(const Trace& trace, const SessionView& s)
{
    ScanResult res;
    Endpoint ep[2];
    ep[0].node = s.client;
    ep[0].peer = s.server;
    ep[1].node = s.server;
    ep[1].peer = s.client;
    for (uint32_t i : s)
    {
        const Event& e = trace.events[i];
        switch (e.kind)
        {
        case EventKind::kWrite:
        {
            // Bytes written by one endpoint become available to the other.
            int role = e.node == s.client ? 1 : 0;
            ep[role].avail += std::get<StreamRange>(e.payload).length;
            break;
        }
        case EventKind::kEdit:
        {
            const Edit& x = std::get<Edit>(e.payload);
            int role = Inbound(0) == x.dir ? 0 : 1;
            ep[role].avail += int64_t(x.inserted) - int64_t(x.removed);
            break;
        }
        case EventKind::kSegmentSent:
        {
            res.applicable = true;
            const Segment& g = std::get<Segment>(e.payload);
            OnSent(ep[e.node == s.client ? 0 : 1], g);
            // The sender's FIN takes one sequence number of the other endpoint's view.
            Endpoint& other = ep[e.node == s.client ? 1 : 0];
            if ((g.flags & tcpflag::kFin) && !other.peerFinSent)
            {
                other.peerFinSent = true;
                other.avail += 1;
            }
            break;
        }
        case EventKind::kSegmentReceived:
        {
            res.applicable = true;
            Endpoint& me = ep[e.node == s.client ? 0 : 1];
            const Segment& g = std::get<Segment>(e.payload);
            std::string why = CheckReceived(trace, me, g);
            if (!why.empty())
            {
                res.violations.push_back(Violation{PropertyId::kSeqAckCorrect,
                                                   s.sid,
                                                   i,
                                                   {},
                                                   trace.NodeName(me.node) + " received " + why});
            }
            OnReceived(me, g);
            break;
        }
        default:
            break;
        }
    }
    return res;
}

Z3Result
Z3SeqSpace(z3::context& ctx, const Trace& trace, const SessionView& s, unsigned timeoutMs)
{
    ViolationQuery q(ctx);
    Z3Endpoint ep[2] = {InitialZ3(q, s.client, s.server), InitialZ3(q, s.server, s.client)};
    for (uint32_t i : s)
    {
        const Event& e = trace.events[i];
        switch (e.kind)
        {
        case EventKind::kWrite:
        {
            Z3Endpoint& to = ep[e.node == s.client ? 1 : 0];
            to.avail = q.Step(to.avail + q.Bv64(std::get<StreamRange>(e.payload).length));
            break;
        }
        case EventKind::kEdit:
        {
            const Edit& x = std::get<Edit>(e.payload);
            Z3Endpoint& to = ep[Inbound(0) == x.dir ? 0 : 1];
            to.avail =
                q.Step(to.avail + q.Bv64s(int64_t(x.inserted)) - q.Bv64s(int64_t(x.removed)));
            break;
        }
        case EventKind::kSegmentSent:
        {
            const Segment& g = std::get<Segment>(e.payload);
            Z3Sent(q, ep[e.node == s.client ? 0 : 1], g);
            if (g.flags & tcpflag::kFin)
            {
                Z3Endpoint& other = ep[e.node == s.client ? 1 : 0];
                other.avail = q.Step(other.avail + z3::ite(other.peerFin, q.Bv64(0), q.Bv64(1)));
                other.peerFin = q.Bool(true);
            }
            break;
        }
        case EventKind::kSegmentReceived:
        {
            Z3Endpoint& me = ep[e.node == s.client ? 0 : 1];
            const Segment& g = std::get<Segment>(e.payload);
            q.Candidate(i, Z3Violates(q, me, g));
            q.Witness(i, "own_isn", me.ownIsn);
            q.Witness(i, "snd_max", me.sndMax);
            q.Witness(i, "peer_isn", me.peerIsn);
            q.Witness(i, "avail", me.avail);
            Z3Received(q, me, g);
            break;
        }
        default:
            break;
        }
    }
    return q.Solve(timeoutMs);
}

} // namespace verify
} // namespace dysco
