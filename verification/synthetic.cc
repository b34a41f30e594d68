#include "synthetic.h"

#include "trace_writer.h"

#include <algorithm>
#include <random>

namespace dysco
{
namespace verify
{

namespace
{

constexpr uint16_t kClients = 8;
constexpr uint16_t kServers = 4;
constexpr uint16_t kMiddleboxes = 6;
constexpr uint32_t kMainRid = 1;
constexpr uint32_t kRivalRid = 2;

nlohmann::json
Header(const SyntheticOptions& o)
{
    nlohmann::json nodes = nlohmann::json::array();
    for (int i = 0; i < kClients; ++i)
    {
        nodes.push_back("c" + std::to_string(i));
    }
    for (int i = 0; i < kServers; ++i)
    {
        nodes.push_back("s" + std::to_string(i));
    }
    for (int i = 0; i < kMiddleboxes; ++i)
    {
        nodes.push_back("m" + std::to_string(i));
    }
    return nlohmann::json{{"nodes", nodes}, {"generator", "dyscosim synthetic"}, {"seed", o.seed}};
}

enum class Shape
{
    kPlain,
    kReconfig,
    kContention,
    kAbort,
};

/// Builds one session's events; all values obey the five properties.
class SessionGen
{
public:
    SessionGen(uint32_t sid, uint64_t t0, std::mt19937_64& rng, const SyntheticOptions& o)
        : m_sid(sid)
        , m_t(t0)
        , m_rng(rng)
        , m_opt(o)
    {
        m_node[0] = uint16_t(sid % kClients);
        m_node[1] = uint16_t(kClients + sid % kServers);
        m_old = uint16_t(kClients + kServers + sid % 3);
        m_new = uint16_t(kClients + kServers + 3 + sid % 3);
        m_isn[0] = uint32_t(m_rng());
        m_isn[1] = uint32_t(m_rng());
        m_tsNext[0] = uint32_t(m_rng());
        m_tsNext[1] = uint32_t(m_rng());
    }

    std::vector<Event> Build();
    Shape GetShape() const { return m_shape; }
    uint16_t Client() const { return m_node[0]; }
    uint16_t Server() const { return m_node[1]; }
    uint16_t OldMiddlebox() const { return m_old; }
    uint16_t NewMiddlebox() const { return m_new; }

private:
    uint64_t Tick()
    {
        m_t += 1000 + m_rng() % 9000;
        return m_t;
    }
    double Uniform() { return std::uniform_real_distribution<double>(0, 1)(m_rng); }
    void Emit(Event e) { m_events.push_back(std::move(e)); }
    void Seg(EventKind k, int role, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len,
             uint32_t tsVal, uint32_t tsEcr, const std::vector<SackBlock>& sack = {});
    /// Sends a segment from `role` and delivers it; seqOff/ackOff in the sender's space.
    void Transfer(int role, uint8_t flags, uint32_t len, uint32_t rlen, bool sack);
    void Handshake();
    void Chunk(int d, bool edit);
    void Close();
    void Control(int from, int to, ControlMsg m, uint32_t rid);
    void LockChain(uint32_t rid);
    void Reconfigure();
    void Teardown();
    uint16_t Node(int role) const { return m_node[role]; }

    uint32_t m_sid;
    uint64_t m_t;
    std::mt19937_64& m_rng;
    const SyntheticOptions& m_opt;
    std::vector<Event> m_events;
    Shape m_shape = Shape::kPlain;
    uint16_t m_node[2];
    uint16_t m_old;
    uint16_t m_new;
    uint32_t m_isn[2];
    uint32_t m_tsNext[2];
    uint32_t m_tsSeen[2] = {0, 0};
    uint64_t m_sent[2] = {0, 0}; ///< per direction, sender's stream offset
    uint64_t m_recv[2] = {0, 0}; ///< per direction, receiver's stream offset
    uint32_t m_fin[2] = {0, 0};  ///< per direction: 1 once the sender's FIN is out
    // Two-path variables frozen when the new path comes up.
    uint64_t m_switchSent[2] = {0, 0};
    uint64_t m_switchRecv[2] = {0, 0};
};

void
SessionGen::Seg(EventKind k, int role, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len,
                uint32_t tsVal, uint32_t tsEcr, const std::vector<SackBlock>& sack)
{
    Segment g;
    g.flags = flags;
    g.seq = seq;
    g.ack = ack;
    g.length = len;
    g.window = 65535;
    g.hasTimestamp = true;
    g.tsVal = tsVal;
    g.tsEcr = tsEcr;
    for (const auto& b : sack)
    {
        g.sack[g.sackCount++] = b;
    }
    Emit(MakeSegment(k, Tick(), m_sid, Node(role), g));
}

void
SessionGen::Transfer(int role, uint8_t flags, uint32_t len, uint32_t rlen, bool sack)
{
    // Direction role carries this segment's bytes; 1 - role its ack.
    const int d = role;
    const int o = 1 - role;
    const bool fin = flags & tcpflag::kFin;
    // Sender's view: its own stream offset, and what it received of the other direction.
    uint32_t seq = m_isn[d] + 1 + uint32_t(m_sent[d]) + m_fin[d];
    uint32_t ack = m_isn[o] + 1 + uint32_t(m_recv[o]) + m_fin[o];
    uint32_t tsVal = m_tsNext[role]++;
    uint32_t tsEcr = m_tsSeen[role];
    Seg(EventKind::kSegmentSent, role, flags, seq, ack, len, tsVal, tsEcr);
    // Receiver's view: bytes shifted by the edits so far, ack translated back.
    uint32_t rseq = m_isn[d] + 1 + uint32_t(m_recv[d]) + m_fin[d];
    uint32_t rack = m_isn[o] + 1 + uint32_t(m_sent[o]) + m_fin[o];
    Seg(EventKind::kSegmentReceived, o, flags, rseq, rack, rlen, tsVal, tsEcr);
    m_tsSeen[o] = tsVal;
    if (fin)
    {
        m_fin[d] = 1;
    }
    (void)sack;
}

void
SessionGen::Handshake()
{
    uint32_t ts0 = m_tsNext[0]++;
    Seg(EventKind::kSegmentSent, 0, tcpflag::kSyn, m_isn[0], 0, 0, ts0, 0);
    Seg(EventKind::kSegmentReceived, 1, tcpflag::kSyn, m_isn[0], 0, 0, ts0, 0);
    m_tsSeen[1] = ts0;
    uint32_t ts1 = m_tsNext[1]++;
    Seg(EventKind::kSegmentSent, 1, tcpflag::kSyn | tcpflag::kAck, m_isn[1], m_isn[0] + 1, 0, ts1,
        m_tsSeen[1]);
    Seg(EventKind::kSegmentReceived, 0, tcpflag::kSyn | tcpflag::kAck, m_isn[1], m_isn[0] + 1, 0,
        ts1, m_tsSeen[1]);
    m_tsSeen[0] = ts1;
    Transfer(0, tcpflag::kAck, 0, 0, false);
}

void
SessionGen::Chunk(int d, bool edit)
{
    const int o = 1 - d;
    uint32_t len = 500 + uint32_t(m_rng() % 1000);
    uint64_t hash = m_rng();
    Emit(MakeRangeHashed(EventKind::kWrite, Tick(), m_sid, Node(d), m_sent[d], len, hash));
    uint32_t rlen = len;
    uint64_t rhash = hash;
    if (edit)
    {
        Edit x;
        x.dir = Direction(d);
        x.offset = m_sent[d];
        x.removed = len;
        x.inserted = len + 37;
        x.hash = m_rng();
        rlen = x.inserted;
        rhash = x.hash;
        Emit(MakeEdit(Tick(), m_sid, m_old, x));
    }
    Transfer(d, tcpflag::kAck | tcpflag::kPsh, len, rlen, false);
    Emit(MakeRangeHashed(EventKind::kRead, Tick(), m_sid, Node(o), m_recv[d], rlen, rhash));
    m_sent[d] += len;
    m_recv[d] += rlen;
    // The receiver acks; now and then with a D-SACK block for the range just received.
    std::vector<SackBlock> sack;
    uint32_t ack = m_isn[d] + 1 + uint32_t(m_recv[d]);
    uint32_t senderAck = m_isn[d] + 1 + uint32_t(m_sent[d]);
    bool withSack = !edit && Uniform() < 0.2;
    uint32_t tsVal = m_tsNext[o]++;
    uint32_t tsEcr = m_tsSeen[o];
    if (withSack)
    {
        sack.push_back(SackBlock{ack - rlen, ack});
    }
    Seg(EventKind::kSegmentSent, o, tcpflag::kAck, m_isn[o] + 1 + uint32_t(m_sent[o]), ack, 0,
        tsVal, tsEcr, sack);
    std::vector<SackBlock> rsack;
    if (withSack)
    {
        rsack.push_back(SackBlock{senderAck - len, senderAck});
    }
    Seg(EventKind::kSegmentReceived, d, tcpflag::kAck, m_isn[o] + 1 + uint32_t(m_recv[o]),
        senderAck, 0, tsVal, tsEcr, rsack);
    m_tsSeen[d] = tsVal;
}

void
SessionGen::Control(int from, int to, ControlMsg m, uint32_t rid)
{
    // `from`/`to` are node indices here.
    Emit(MakeControl(Tick(), m_sid, uint16_t(from), true, m, uint16_t(to), rid));
    Emit(MakeControl(Tick(), m_sid, uint16_t(to), false, m, uint16_t(from), rid));
}

void
SessionGen::Reconfigure()
{
    const uint16_t c = Node(0);
    const uint16_t s = Node(1);
    Emit(MakeRequest(Tick(), m_sid, c, kMainRid, {c, m_old, s}, {c, m_new, s}));
    Emit(MakeLock(Tick(), m_sid, c, m_old, LockState::kLockPending, c, kMainRid));
    Control(c, m_old, ControlMsg::kRequestLock, kMainRid);
    Emit(MakeLock(Tick(), m_sid, m_old, s, LockState::kLockPending, c, kMainRid));
    if (m_shape == Shape::kContention)
    {
        // The middlebox wants to delete itself; its subsession to the right is pending.
        Emit(MakeRequest(Tick(), m_sid, m_old, kRivalRid, {m_old, s}, {m_old, m_new, s}));
    }
    Control(m_old, s, ControlMsg::kRequestLock, kMainRid);
    Control(s, m_old, ControlMsg::kAckLock, kMainRid);
    Emit(MakeLock(Tick(), m_sid, m_old, s, LockState::kLocked, c, kMainRid));
    Control(m_old, c, ControlMsg::kAckLock, kMainRid);
    Emit(MakeLock(Tick(), m_sid, c, m_old, LockState::kLocked, c, kMainRid));
    Emit(MakePhase(Tick(), m_sid, c, kMainRid, Phase::kLocked));
    if (m_shape == Shape::kContention)
    {
        Emit(MakePhase(Tick(), m_sid, m_old, kRivalRid, Phase::kDenied));
    }
    if (m_shape == Shape::kAbort)
    {
        Emit(MakePhase(Tick(), m_sid, c, kMainRid, Phase::kNewPathFailed));
        Control(c, m_old, ControlMsg::kCancelLock, kMainRid);
        Emit(MakeLock(Tick(), m_sid, m_old, s, LockState::kUnlocked, c, kMainRid));
        Control(m_old, s, ControlMsg::kCancelLock, kMainRid);
        Control(s, m_old, ControlMsg::kAckCancel, kMainRid);
        Control(m_old, c, ControlMsg::kAckCancel, kMainRid);
        Emit(MakeLock(Tick(), m_sid, c, m_old, LockState::kUnlocked, c, kMainRid));
        Emit(MakePhase(Tick(), m_sid, c, kMainRid, Phase::kAborted));
        return;
    }
    Emit(MakeSimple(EventKind::kAlloc, Tick(), m_sid, m_new));
    Emit(MakePhase(Tick(), m_sid, c, kMainRid, Phase::kNewPathUp));
    for (int d = 0; d < 2; ++d)
    {
        m_switchSent[d] = m_sent[d];
        m_switchRecv[d] = m_recv[d];
    }
}

void
SessionGen::Teardown()
{
    const uint16_t c = Node(0);
    const uint16_t s = Node(1);
    // Anchor `role` sends direction role and receives direction 1 - role; its delta is the
    // shift its incoming direction accumulated on the old path.
    auto td = [&](int role)
    {
        verify::Teardown t;
        t.rid = kMainRid;
        t.oldSent = m_isn[role] + 1 + uint32_t(m_switchSent[role]);
        t.oldSentAcked = t.oldSent;
        t.oldRcvd = m_isn[1 - role] + 1 + uint32_t(m_switchRecv[1 - role]);
        t.oldRcvdAcked = t.oldRcvd;
        t.firstNewRcvd = t.oldRcvd;
        t.hasFirstNewRcvd = true;
        t.delta = int32_t(m_switchRecv[1 - role] - m_switchSent[1 - role]);
        return t;
    };
    Control(c, m_old, ControlMsg::kTerminate, kMainRid);
    Emit(MakeTeardown(Tick(), m_sid, s, td(1)));
    Emit(MakeTeardown(Tick(), m_sid, c, td(0)));
    Emit(MakeLock(Tick(), m_sid, c, m_old, LockState::kUnlocked, c, kMainRid));
    Emit(MakeLock(Tick(), m_sid, m_old, s, LockState::kUnlocked, c, kMainRid));
    Emit(MakeSimple(EventKind::kFree, Tick(), m_sid, m_old));
    Emit(MakePhase(Tick(), m_sid, c, kMainRid, Phase::kDone));
}

void
SessionGen::Close()
{
    Transfer(0, tcpflag::kFin | tcpflag::kAck, 0, 0, false);
    Transfer(1, tcpflag::kFin | tcpflag::kAck, 0, 0, false);
    Transfer(0, tcpflag::kAck, 0, 0, false);
    Emit(MakeClose(Tick(), m_sid, Node(0), CloseHow::kFin));
    Emit(MakeClose(Tick(), m_sid, Node(1), CloseHow::kFin));
    Emit(MakeSimple(EventKind::kFree, Tick(), m_sid, Node(0)));
    Emit(MakeSimple(EventKind::kFree, Tick(), m_sid, Node(1)));
    bool switched = m_shape == Shape::kReconfig || m_shape == Shape::kContention;
    Emit(MakeSimple(EventKind::kFree, Tick(), m_sid, switched ? m_new : m_old));
}

std::vector<Event>
SessionGen::Build()
{
    bool reconfig = Uniform() < m_opt.reconfigFraction;
    if (reconfig)
    {
        double u = Uniform();
        m_shape = u < m_opt.abortFraction                              ? Shape::kAbort
                  : u < m_opt.abortFraction + m_opt.contentionFraction ? Shape::kContention
                                                                       : Shape::kReconfig;
    }
    const size_t chunks = std::max<size_t>(m_opt.chunks, 4);
    long editAt = Uniform() < m_opt.editFraction ? long(m_rng() % (chunks / 2)) : -1;
    // Chunk k goes server->client every fourth time (responses).
    int64_t delta = 0;
    std::vector<int> dirs(chunks);
    for (size_t k = 0; k < chunks; ++k)
    {
        dirs[k] = (k % 4 == 3) ? 1 : 0;
    }
    if (editAt >= 0)
    {
        dirs[size_t(editAt)] = 0;
        delta = 37;
    }
    FiveTuple tuple{0x0A000001u + (uint32_t(Node(0)) << 8), 0x0A010001u + (uint32_t(Node(1)) << 8),
                    uint16_t(10000 + m_sid % 50000), 80, kProtoTcp};
    Emit(MakeSession(Tick(), m_sid, Node(0), Node(1), tuple, delta, 0));
    Emit(MakeSimple(EventKind::kAlloc, Tick(), m_sid, Node(0)));
    Emit(MakeSimple(EventKind::kAlloc, Tick(), m_sid, m_old));
    Emit(MakeSimple(EventKind::kAlloc, Tick(), m_sid, Node(1)));
    Handshake();
    for (size_t k = 0; k < chunks; ++k)
    {
        if (reconfig && k == chunks / 2)
        {
            Reconfigure();
        }
        if ((m_shape == Shape::kReconfig || m_shape == Shape::kContention) && k == (3 * chunks) / 4)
        {
            Teardown();
        }
        Chunk(dirs[k], long(k) == editAt);
    }
    Close();
    return std::move(m_events);
}

bool
IsSeg(const Event& e, EventKind k)
{
    return e.kind == k;
}

/// Applies a mutation to one session's events; false if the session has no place for it.
bool
Mutate(std::vector<Event>& ev, Mutation m, const SessionGen& g, std::mt19937_64& rng)
{
    std::vector<size_t> at;
    auto pick = [&](auto pred)
    {
        at.clear();
        for (size_t i = 0; i < ev.size(); ++i)
        {
            if (pred(ev[i]))
            {
                at.push_back(i);
            }
        }
        return at.empty() ? SIZE_MAX : at[rng() % at.size()];
    };
    auto phaseIs = [](const Event& e, Phase p)
    { return e.kind == EventKind::kPhase && e.GetPhase() == p; };
    auto ackedRx = [](const Event& e)
    {
        if (!IsSeg(e, EventKind::kSegmentReceived))
        {
            return false;
        }
        const auto& s = std::get<Segment>(e.payload);
        return (s.flags & tcpflag::kAck) && !(s.flags & tcpflag::kSyn);
    };
    size_t i = SIZE_MAX;
    switch (m)
    {
    case Mutation::kCorruptRead:
        i = pick([](const Event& e) { return e.kind == EventKind::kRead; });
        if (i != SIZE_MAX)
        {
            std::get<StreamRange>(ev[i].payload).hash ^= 1;
        }
        break;
    case Mutation::kDropRead:
        i = pick([](const Event& e) { return e.kind == EventKind::kRead; });
        if (i != SIZE_MAX)
        {
            ev.erase(ev.begin() + long(i));
        }
        break;
    case Mutation::kAckBeyond:
        i = pick(ackedRx);
        if (i != SIZE_MAX)
        {
            std::get<Segment>(ev[i].payload).ack += 1000000;
        }
        break;
    case Mutation::kSackOutside:
        i = pick(ackedRx);
        if (i != SIZE_MAX)
        {
            auto& s = std::get<Segment>(ev[i].payload);
            s.sackCount = 1;
            s.sack[0] = SackBlock{s.ack + 5000000, s.ack + 5001000};
        }
        break;
    case Mutation::kTsEcrBogus:
        i = pick(ackedRx);
        if (i != SIZE_MAX)
        {
            std::get<Segment>(ev[i].payload).tsEcr += 0x40000000;
        }
        break;
    case Mutation::kSeqForeign:
        i = pick(
            [](const Event& e) {
                return e.kind == EventKind::kSegmentReceived &&
                       std::get<Segment>(e.payload).length > 0;
            });
        if (i != SIZE_MAX)
        {
            std::get<Segment>(ev[i].payload).seq += 0x12345678;
        }
        break;
    case Mutation::kDoubleLock:
    {
        uint16_t mb = g.OldMiddlebox();
        i = pick(
            [&](const Event& e)
            {
                return e.kind == EventKind::kLock && e.node == mb &&
                       std::get<LockChange>(e.payload).state == LockState::kLockPending;
            });
        if (i != SIZE_MAX)
        {
            Event dup = ev[i];
            std::get<LockChange>(dup.payload).requestor = g.NewMiddlebox();
            ev.insert(ev.begin() + long(i) + 1, dup);
        }
        break;
    }
    case Mutation::kBothWin:
        i = pick([&](const Event& e) { return phaseIs(e, Phase::kDenied); });
        if (i != SIZE_MAX)
        {
            std::get<PhaseChange>(ev[i].payload).phase = Phase::kLocked;
        }
        break;
    case Mutation::kNeverEnds:
    {
        uint16_t c = g.Client();
        i = pick(
            [&](const Event& e)
            { return e.node == c && (phaseIs(e, Phase::kDone) || phaseIs(e, Phase::kAborted)); });
        if (i != SIZE_MAX)
        {
            ev.erase(ev.begin() + long(i));
        }
        break;
    }
    case Mutation::kAbortNoCancel:
    {
        uint16_t c = g.Client();
        i = pick(
            [&](const Event& e)
            {
                return e.kind == EventKind::kControl && e.node == c &&
                       std::get<Control>(e.payload).msg == ControlMsg::kAckCancel;
            });
        if (i != SIZE_MAX)
        {
            ev.erase(ev.begin() + long(i));
        }
        break;
    }
    case Mutation::kTeardownEarly:
    {
        uint16_t c = g.Client();
        i = pick([&](const Event& e) { return e.node == c && phaseIs(e, Phase::kTeardown); });
        if (i != SIZE_MAX)
        {
            std::get<verify::Teardown>(ev[i].payload).oldSentAcked -= 100;
        }
        break;
    }
    case Mutation::kCutoffMismatch:
    {
        uint16_t s = g.Server();
        i = pick([&](const Event& e) { return e.node == s && phaseIs(e, Phase::kTeardown); });
        if (i != SIZE_MAX)
        {
            auto& t = std::get<verify::Teardown>(ev[i].payload);
            t.oldRcvd += 10;
            t.oldRcvdAcked += 10;
            t.firstNewRcvd += 10;
        }
        break;
    }
    case Mutation::kNoFree:
    {
        uint16_t s = g.Server();
        i = pick([&](const Event& e) { return e.kind == EventKind::kFree && e.node == s; });
        if (i != SIZE_MAX)
        {
            ev.erase(ev.begin() + long(i));
        }
        break;
    }
    case Mutation::kUseAfterFree:
    {
        uint16_t mb = g.OldMiddlebox();
        i = pick(
            [&](const Event& e)
            {
                return e.kind == EventKind::kFree && e.node == mb &&
                       g.GetShape() != Shape::kPlain && g.GetShape() != Shape::kAbort;
            });
        if (i != SIZE_MAX)
        {
            Event late = MakeLock(ev[i].timeNs, ev[i].session, mb, g.Server(), LockState::kUnlocked,
                                  g.Client(), kMainRid);
            ev.insert(ev.begin() + long(i) + 1, late);
        }
        break;
    }
    case Mutation::kNoClose:
    {
        uint16_t s = g.Server();
        i = pick([&](const Event& e) { return e.kind == EventKind::kClose && e.node == s; });
        if (i != SIZE_MAX)
        {
            ev.erase(ev.begin() + long(i));
        }
        break;
    }
    }
    return i != SIZE_MAX;
}

/// Generates sessions [first, first + n) starting at t0 and merges them by time.
std::vector<Event>
Wave(uint32_t first, size_t n, uint64_t t0, std::mt19937_64& rng, const SyntheticOptions& o,
     std::vector<Planted>* planted)
{
    std::vector<Event> all;
    for (size_t k = 0; k < n; ++k)
    {
        uint32_t sid = first + uint32_t(k);
        SessionGen g(sid, t0 + k * 3000, rng, o);
        std::vector<Event> ev = g.Build();
        for (const Planted& p : o.plant)
        {
            if (p.session == sid && Mutate(ev, p.mutation, g, rng) && planted)
            {
                planted->push_back(p);
            }
        }
        all.insert(all.end(), std::make_move_iterator(ev.begin()),
                   std::make_move_iterator(ev.end()));
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const Event& a, const Event& b) { return a.timeNs < b.timeNs; });
    return all;
}

} // namespace

const char*
MutationName(Mutation m)
{
    static const char* kNames[kMutationCount] = {
        "corrupt_read",   "drop_read",       "ack_beyond", "sack_outside",   "tsecr_bogus",
        "seq_foreign",    "double_lock",     "both_win",   "never_ends",     "abort_no_cancel",
        "teardown_early", "cutoff_mismatch", "no_free",    "use_after_free", "no_close"};
    return kNames[size_t(m)];
}

PropertyId
MutationTarget(Mutation m)
{
    switch (m)
    {
    case Mutation::kCorruptRead:
    case Mutation::kDropRead:
        return PropertyId::kNoDataLoss;
    case Mutation::kAckBeyond:
    case Mutation::kSackOutside:
    case Mutation::kTsEcrBogus:
    case Mutation::kSeqForeign:
        return PropertyId::kSeqAckCorrect;
    case Mutation::kDoubleLock:
    case Mutation::kBothWin:
        return PropertyId::kLockExclusive;
    case Mutation::kNeverEnds:
    case Mutation::kAbortNoCancel:
        return PropertyId::kReconfigTerminates;
    default:
        return PropertyId::kCleanTermination;
    }
}

Synthetic
GenerateSynthetic(const SyntheticOptions& options)
{
    Synthetic out;
    out.header = Header(options);
    std::mt19937_64 rng(options.seed);
    uint64_t t = 1000000;
    const size_t wave = std::max<size_t>(1, options.concurrent);
    for (size_t first = 0; first < options.sessions; first += wave)
    {
        size_t n = std::min(wave, options.sessions - first);
        std::vector<Event> ev = Wave(uint32_t(first + 1), n, t, rng, options, &out.planted);
        if (!ev.empty())
        {
            t = ev.back().timeNs + 1000;
        }
        out.events.insert(out.events.end(), std::make_move_iterator(ev.begin()),
                          std::make_move_iterator(ev.end()));
    }
    return out;
}

uint64_t
WriteSyntheticTrace(const std::string& path, const SyntheticOptions& options,
                    std::vector<Planted>* planted, std::string* error)
{
    TraceWriter w;
    if (!w.Open(path, Header(options)))
    {
        *error = w.Error();
        return 0;
    }
    std::mt19937_64 rng(options.seed);
    uint64_t t = 1000000;
    const size_t wave = std::max<size_t>(1, options.concurrent);
    for (size_t first = 0; first < options.sessions; first += wave)
    {
        size_t n = std::min(wave, options.sessions - first);
        std::vector<Event> ev = Wave(uint32_t(first + 1), n, t, rng, options, planted);
        if (!ev.empty())
        {
            t = ev.back().timeNs + 1000;
        }
        for (const Event& e : ev)
        {
            w.Write(e);
        }
    }
    uint64_t n = w.Records();
    if (!w.Close())
    {
        *error = w.Error();
        return 0;
    }
    return n;
}

} // namespace verify
} // namespace dysco
