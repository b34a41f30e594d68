// Differential-style target for the whole agent: a four-node network of core agents runs a
// script (agent_script.h). Properties: no crash or sanitizer report; kNeedPayload only for a
// header-only buffer; a packet that arrives with valid checksums and is forwarded leaves
// with valid checksums; every packet an agent originates is a well-formed TCP segment with
// valid checksums or a control packet that decodes.
#include "core/agent.h"

#include "agent_script.h"
#include "core/bytes.h"
#include "core/control.h"
#include "core/packet.h"
#include "harness.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <memory>

namespace dysco
{
namespace fuzz
{
namespace
{

void (*g_tap)(const std::vector<uint8_t>&) = nullptr;

struct Wire
{
    int to;
    std::vector<uint8_t> bytes;
};

/// The offending packet on stderr (hex, parse result), for the crash report.
void
Dump(const char* what, std::vector<uint8_t>& pkt)
{
    PacketView v(pkt.data(), pkt.size());
    const ParseError e = v.Parse();
    std::fprintf(
        stderr, "%s packet, %zu bytes, parse %s, checksums %s:", what, pkt.size(), ToString(e),
        e == ParseError::kOk && v.HasFullPayload() && v.ChecksumsValid() ? "valid" : "not valid");
    for (uint8_t b : pkt)
    {
        std::fprintf(stderr, " %02x", b);
    }
    std::fprintf(stderr, "\n");
}

bool
WholeAndValid(std::vector<uint8_t>& pkt)
{
    PacketView v(pkt.data(), pkt.size());
    return v.Parse() == ParseError::kOk && v.HasFullPayload() && v.ChecksumsValid();
}

class FuzzNet
{
public:
    FuzzNet()
    {
        for (int i = 0; i < 4; ++i)
        {
            AgentConfig cfg;
            cfg.address = kNodes[i];
            cfg.control.rtoNs = 10'000'000;
            cfg.synRtoNs = 20'000'000;
            cfg.maxSessions = 64; // the table-full path is reachable
            m_agents[i] = std::make_unique<Agent>(cfg);
        }
        Policy p;
        p.name = "web";
        p.predicate.dst = Prefix{kNodeD, 32};
        p.predicate.dstPorts = PortRange{80, 80};
        p.chain = {kNodeB};
        m_agents[0]->Policies().Add(p);
    }

    Agent& operator[](int i) { return *m_agents[i]; }
    uint64_t Now() const { return m_now; }

    /// One packet into node `i` (from its stack, or from its link), then the network runs.
    void Inject(int i, Direction dir, std::vector<uint8_t> pkt, bool fix, bool headerOnly)
    {
        PacketView v(pkt.data(), pkt.size());
        const bool parsed = v.Parse() == ParseError::kOk;
        if (fix && parsed)
        {
            v.RecomputeChecksums();
        }
        if (headerOnly && parsed && !v.HasFlag(tcpflag::kSyn) && v.PayloadLength() > 0 &&
            v.HasFullPayload())
        {
            ProcessHeaderOnly(i, dir, std::move(pkt), v.HeadersLength());
        }
        else
        {
            Process(i, dir, std::move(pkt));
        }
        Run();
    }

    void Advance(uint64_t ns)
    {
        const uint64_t end = m_now + ns;
        for (int rounds = 0; rounds < 64; ++rounds)
        {
            uint64_t next = end;
            for (auto& a : m_agents)
            {
                next = std::min(next, a->NextDeadline());
            }
            m_now = std::max(m_now, next);
            for (int i = 0; i < 4; ++i)
            {
                if (m_agents[i]->NextDeadline() <= m_now)
                {
                    m_agents[i]->OnTimer(m_now);
                    Drain(i);
                }
            }
            Run();
            if (next >= end)
            {
                break;
            }
        }
        m_now = std::max(m_now, end);
        for (int i = 0; i < 4; ++i)
        {
            m_agents[i]->ExpireIdle(m_now);
            Drain(i);
        }
        Run();
    }

    /// The n-th live session of node i (modulo the count); false if it has none.
    bool NthSession(int i, uint8_t n, FiveTuple* left, FiveTuple* right)
    {
        std::vector<const Session*> all;
        m_agents[i]->ForEachSession([&](const Session& s) { all.push_back(&s); });
        if (all.empty())
        {
            return false;
        }
        *left = all[n % all.size()]->leftSession;
        *right = all[n % all.size()]->rightSession;
        return true;
    }

    void Run()
    {
        for (int i = 0; i < 4; ++i)
        {
            Drain(i); // what an API call queued
        }
        // Bounded: a script must not be able to make two agents loop forever.
        for (int guard = 0; !m_queue.empty() && guard < 512; ++guard)
        {
            Wire w = std::move(m_queue.front());
            m_queue.pop_front();
            Process(w.to, Direction::kIngress, std::move(w.bytes));
        }
        m_queue.clear();
    }

private:
    void Process(int i, Direction dir, std::vector<uint8_t> pkt)
    {
        PacketView view(pkt.data(), pkt.size());
        const bool whole = view.Parse() == ParseError::kOk && view.HasFullPayload();
        const bool validIn = whole && view.ChecksumsValid();
        const Verdict v = m_agents[i]->Process(dir, pkt, m_now);
        FUZZ_CHECK(ToString(v) != nullptr, "no name for a verdict");
        FUZZ_CHECK(v != Verdict::kNeedPayload || !whole, "kNeedPayload for a whole packet");
        Drain(i, validIn);
        if (v == Verdict::kForward)
        {
            if (validIn && !WholeAndValid(pkt))
            {
                Dump("forwarded", pkt);
            }
            FUZZ_CHECK(!validIn || WholeAndValid(pkt), "forwarded packet with a bad checksum");
            Forwarded(i, dir, std::move(pkt));
        }
    }

    /// The binding's header-only path: the agent sees the headers, the payload rejoins them.
    void ProcessHeaderOnly(int i, Direction dir, std::vector<uint8_t> pkt, size_t headers)
    {
        std::vector<uint8_t> head(pkt.begin(), pkt.begin() + headers);
        const Verdict v = m_agents[i]->Process(dir, head, m_now);
        Drain(i, WholeAndValid(pkt));
        if (v == Verdict::kNeedPayload)
        {
            Process(i, dir, std::move(pkt));
            return;
        }
        if (v != Verdict::kForward)
        {
            return;
        }
        FUZZ_CHECK(head.size() == headers, "header-only rewrite changed the header length");
        const bool validIn = WholeAndValid(pkt);
        std::copy(head.begin(), head.end(), pkt.begin());
        FUZZ_CHECK(!validIn || WholeAndValid(pkt), "header-only rewrite broke a checksum");
        Forwarded(i, dir, std::move(pkt));
    }

    void Forwarded(int i, Direction dir, std::vector<uint8_t> pkt)
    {
        if (pkt.size() < 20)
        {
            return;
        }
        const uint32_t dst = Load32(pkt.data() + 16);
        if (dir == Direction::kEgress)
        {
            Put(std::move(pkt));
        }
        else if (dst != kNodes[i] && m_forwardDepth < 8)
        {
            // Through this node (a packet middlebox) and out again.
            ++m_forwardDepth;
            Process(i, Direction::kEgress, std::move(pkt));
            --m_forwardDepth;
        }
    }

    /// `validIn`: the call that queued the outputs had a packet with valid checksums (or
    /// none); a copy or a part of a packet with a bad checksum may keep it bad.
    void Drain(int i, bool validIn = true)
    {
        auto& out = m_agents[i]->Outputs();
        for (auto& p : out)
        {
            CheckOriginated(p, validIn);
            Put(std::move(p));
        }
        out.clear();
    }

    static void CheckOriginated(const std::vector<uint8_t>& p, bool validIn)
    {
        const uint8_t* payload = nullptr;
        size_t len = 0;
        if (IsControlPacket(p, &payload, &len))
        {
            ControlMessage m;
            FUZZ_CHECK(DecodeControl(payload, len, &m) == ControlError::kOk,
                       "an agent sent a control message that does not decode");
            return;
        }
        std::vector<uint8_t> copy = p;
        PacketView v(copy.data(), copy.size());
        const bool ok =
            v.Parse() == ParseError::kOk && v.HasFullPayload() && (!validIn || v.ChecksumsValid());
        if (!ok)
        {
            Dump("originated", copy);
        }
        FUZZ_CHECK(ok, "an agent originated a bad TCP packet");
    }

    void Put(std::vector<uint8_t> pkt)
    {
        if (pkt.size() < 20)
        {
            return;
        }
        if (g_tap != nullptr)
        {
            g_tap(pkt);
        }
        const uint32_t dst = Load32(pkt.data() + 16);
        for (int i = 0; i < 4; ++i)
        {
            if (kNodes[i] == dst)
            {
                m_queue.push_back(Wire{i, std::move(pkt)});
                return;
            }
        }
    }

    std::unique_ptr<Agent> m_agents[4];
    std::deque<Wire> m_queue;
    uint64_t m_now = 1'000'000;
    int m_forwardDepth = 0;
};

} // namespace

void
SetWireTap(void (*tap)(const std::vector<uint8_t>& packet))
{
    g_tap = tap;
}

int
FuzzAgent(const uint8_t* data, size_t size)
{
    FuzzNet net;
    size_t at = 0;
    auto byte = [&]() -> uint8_t { return at < size ? data[at++] : 0; };
    for (int steps = 0; at < size && steps < 256; ++steps)
    {
        const uint8_t op = byte();
        FiveTuple left;
        FiveTuple right;
        switch (op % 8)
        {
        case kOpTime:
        {
            const uint64_t k = byte() + 1;
            net.Advance(k * k * 1'000'000);
            break;
        }
        case kOpReconfigure:
        {
            const uint8_t n = byte();
            const uint8_t m = byte() % 3;
            std::vector<uint32_t> via;
            if (m >= 2)
            {
                via.push_back(kNodeB);
            }
            if (m >= 1)
            {
                via.push_back(kNodeC);
            }
            if (net.NthSession(0, n, &left, &right))
            {
                net[0].Reconfigure(right, kNodeD, via, net.Now());
                net.Run();
            }
            break;
        }
        case kOpDelete:
            if (net.NthSession(1, byte(), &left, &right))
            {
                net[1].RequestDeletion(left, net.Now());
                net.Run();
            }
            break;
        case kOpDelta:
        {
            const uint8_t n = byte();
            uint8_t d[8];
            for (uint8_t& b : d)
            {
                b = byte();
            }
            if (net.NthSession(1, n, &left, &right))
            {
                net[1].SetMiddleboxDelta(left, SeqDelta(Load32(d)), SeqDelta(Load32(d + 4)));
            }
            break;
        }
        default:
        {
            const int node = (op >> 3) % 4;
            const Direction dir = (op & 0x20) != 0 ? Direction::kIngress : Direction::kEgress;
            size_t len = size_t(byte()) << 8;
            len |= byte();
            len = std::min(len, size - at);
            std::vector<uint8_t> pkt(data + at, data + at + len);
            at += len;
            net.Inject(node, dir, std::move(pkt), (op & 0x40) != 0, (op & 0x80) != 0);
            break;
        }
        }
    }
    return 0;
}

} // namespace fuzz
} // namespace dysco
