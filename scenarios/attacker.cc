#include "attacker.h"

#include "core/bytes.h"
#include "core/control.h"
#include "core/packet.h"
#include "core/packet_edit.h"
#include "core/syn_payload.h"
#include "ns3/dysco-agent.h"
#include "ns3/simulator.h"

namespace dyscosim
{

using namespace ns3;

namespace
{
constexpr size_t kMaxRecorded = 4096;
constexpr size_t kSessionsPerNode = 4; ///< forged per node and period
constexpr size_t kIp = 20;
constexpr size_t kUdp = 8;
} // namespace

Attacker::Attacker(RunContext& ctx)
    : m_ctx(ctx)
    , m_rng(uint64_t(ctx.scenario.seed) * 7919 + 17)
{
}

void
Attacker::Install()
{
    const auto& attacks = m_ctx.scenario.attacks;
    if (attacks.empty())
    {
        return;
    }
    for (size_t n = 0; n < m_ctx.scenario.nodes.size(); ++n)
    {
        bool attacker = false;
        for (const auto& a : attacks)
        {
            attacker = attacker || a.from == n;
        }
        if (!attacker)
        {
            m_taps.push_back(std::make_unique<Tap>(Tap{this, n}));
            m_ctx.Agent(n)->TraceConnectWithoutContext(
                "Originated", MakeBoundCallback(&Attacker::OnOriginated, m_taps.back().get()));
        }
    }
    for (size_t i = 0; i < attacks.size(); ++i)
    {
        Simulator::ScheduleWithContext(m_ctx.nodes.Get(uint32_t(attacks[i].from))->GetId(),
                                       Seconds(attacks[i].startS), &Attacker::Tick, this, i);
    }
}

void
Attacker::OnOriginated(Tap* tap, const std::vector<uint8_t>& packet)
{
    const uint8_t* payload = nullptr;
    size_t len = 0;
    Attacker& self = *tap->attacker;
    if (self.m_recorded.size() < kMaxRecorded && dysco::IsControlPacket(packet, &payload, &len))
    {
        self.m_recorded.push_back(packet);
    }
}

void
Attacker::Tick(size_t attack)
{
    const AttackSpec& a = m_ctx.scenario.attacks[attack];
    const double now = Simulator::Now().GetSeconds();
    if (a.untilS >= 0 && now > a.untilS)
    {
        return;
    }
    for (size_t n = 0; n < m_ctx.scenario.nodes.size(); ++n)
    {
        if (n == a.from)
        {
            continue;
        }
        if (a.forge)
        {
            Forge(a.from, n);
        }
        if (a.badSyn)
        {
            BadSyns(a.from, n);
        }
    }
    if (a.modify)
    {
        Replay(a.from, true, !a.replay);
    }
    if (a.replay)
    {
        Replay(a.from, false, true);
    }
    m_ctx.Agent(a.from)->Service();
    Simulator::Schedule(Seconds(a.everyS), &Attacker::Tick, this, attack);
}

void
Attacker::Send(size_t attacker, std::vector<uint8_t> packet)
{
    ++m_sent;
    m_ctx.Agent(attacker)->GetCore().Outputs().push_back(std::move(packet));
}

void
Attacker::Forge(size_t attacker, size_t node)
{
    const uint32_t self = m_ctx.AgentAddress(node);
    std::vector<dysco::Session const*> sessions;
    m_ctx.Agent(node)->GetCore().ForEachSession(
        [&](const dysco::Session& s)
        {
            if (sessions.size() < kSessionsPerNode)
            {
                sessions.push_back(&s);
            }
        });
    auto forge = [&](dysco::ControlType type, const dysco::FiveTuple& sub, uint32_t from,
                     const dysco::Session& s, uint8_t flags)
    {
        dysco::ControlMessage m;
        m.type = type;
        m.subsession = sub;
        m.serial = uint32_t(m_rng());
        m.leftAnchor = (m_rng() & 1) ? s.leftSession.srcIp : from;
        m.rightAnchor = (m_rng() & 1) ? s.leftSession.dstIp : self;
        m.requestId = 1 + uint32_t(m_rng() % 4);
        m.delta = dysco::SeqDelta(uint32_t(m_rng()));
        m.flags = flags;
        if (type == dysco::ControlType::kTrigger || type == dysco::ControlType::kRequestLock)
        {
            m.addresses = {m_ctx.AgentAddress(attacker), s.leftSession.dstIp};
        }
        if (m_rng() & 1)
        {
            m.protection = dysco::kProtectNonce;
            m.nonce = m_rng() | 1;
        }
        Send(attacker, dysco::BuildControlPacket(from, self, m));
    };
    using T = dysco::ControlType;
    for (const dysco::Session* s : sessions)
    {
        if (s->role != dysco::Role::kFirst)
        {
            const uint32_t left = s->leftSub.srcIp;
            for (T t : {T::kRequestLock, T::kCancelLock})
            {
                forge(t, s->leftSub, left, *s, 0);
            }
            forge(T::kOldPathDone, s->leftSub, left, *s, 3);
        }
        if (s->role != dysco::Role::kLast && !s->rightPending)
        {
            const uint32_t right = s->rightSub.dstIp;
            for (T t : {T::kAckLock, T::kNackLock, T::kAckCancel, T::kTrigger})
            {
                forge(t, s->rightSub, right, *s, 0);
            }
            forge(T::kOldPathDone, s->rightSub, right, *s, 2);
        }
    }
}

void
Attacker::Replay(size_t attacker, bool modify, bool advance)
{
    // Everything recorded since the last period, and a few older packets.
    std::vector<const std::vector<uint8_t>*> picks;
    for (size_t i = m_replayed; i < m_recorded.size(); ++i)
    {
        picks.push_back(&m_recorded[i]);
    }
    for (int k = 0; k < 8 && m_replayed > 0; ++k)
    {
        picks.push_back(&m_recorded[m_rng() % m_replayed]);
    }
    if (advance)
    {
        m_replayed = m_recorded.size();
    }
    for (const auto* p : picks)
    {
        std::vector<uint8_t> copy = *p;
        if (modify)
        {
            if (copy.size() < kIp + kUdp + dysco::kControlHeaderSize ||
                copy[kIp + kUdp + 3] == uint8_t(dysco::ControlType::kAck))
            {
                continue;
            }
            // A fresh serial (no duplicate filter catches it) and another delta.
            dysco::Store32(&copy[kIp + kUdp + 4], uint32_t(m_rng()));
            copy[kIp + kUdp + 34] ^= uint8_t(1 + m_rng() % 255);
        }
        Send(attacker, std::move(copy));
    }
}

void
Attacker::BadSyns(size_t attacker, size_t node)
{
    const uint32_t self = m_ctx.AgentAddress(node);
    const uint32_t eve = m_ctx.AgentAddress(attacker);
    std::vector<uint32_t> others;
    for (size_t n = 0; n < m_ctx.scenario.nodes.size(); ++n)
    {
        if (n != node && n != attacker)
        {
            others.push_back(m_ctx.AgentAddress(n));
        }
    }
    if (others.empty())
    {
        return;
    }
    const uint32_t dst = others.back();
    std::vector<std::vector<uint32_t>> lists;
    lists.push_back({self, others.front(), self, dst});           // back through this host
    lists.push_back({self, others.front(), others.front(), dst}); // a hop repeated
    const size_t max = m_ctx.scenario.agents.maxChainAddresses.value_or(dysco::kMaxChainAddresses);
    if (max + 1 <= dysco::kMaxChainAddresses)
    {
        std::vector<uint32_t> longList{self};
        for (uint32_t i = 1; longList.size() < max + 1; ++i)
        {
            longList.push_back((self & 0xFFFFFF00u) + ((self + i) & 0xFF));
        }
        longList.back() = dst;
        lists.push_back(longList);
    }
    if (m_ctx.scenario.agents.chainAllow)
    {
        lists.push_back({self, 0xC0000201u, dst}); // 192.0.2.1: documentation space
    }
    for (const auto& list : lists)
    {
        const uint16_t port = uint16_t(1024 + m_rng() % 30000);
        dysco::SynPayload p{dysco::FiveTuple{eve, dst, port, 80, dysco::kProtoTcp}, list};
        std::vector<uint8_t> payload;
        if (dysco::EncodeSynPayload(p, payload) == 0)
        {
            continue;
        }
        Send(attacker, dysco::BuildTcpPacket(eve, self, port, uint16_t(20000 + m_rng() % 20000),
                                             uint32_t(m_rng()), 0, dysco::tcpflag::kSyn, 65535,
                                             nullptr, 0, payload.data(), payload.size()));
    }
}

} // namespace dyscosim
