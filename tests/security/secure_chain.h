// A chain of core agents (A -> middleboxes -> D) on the core test bed, with the agents'
// security settings chosen by the test, one session established, and helpers to forge
// control messages as an attacker would.
#ifndef DYSCO_TESTS_SECURITY_SECURE_CHAIN_H
#define DYSCO_TESTS_SECURITY_SECURE_CHAIN_H

#include "core/bytes.h"
#include "core/control.h"
#include "core/net_test_bed.h"
#include "core/syn_payload.h"

#include <vector>

namespace dysco::test
{

constexpr uint32_t kA = 0x0A000001;
constexpr uint32_t kB = 0x0A000101;
constexpr uint32_t kC = 0x0A000201;
constexpr uint32_t kD = 0x0A000301;
constexpr uint32_t kE = 0x0A000401;
constexpr uint32_t kEve = 0x0B000001; ///< the attacker: off the chain
constexpr uint32_t kChainKeyId = 7;

inline std::vector<uint8_t>
ChainKey()
{
    std::vector<uint8_t> k(32);
    for (size_t i = 0; i < k.size(); ++i)
    {
        k[i] = uint8_t(0xA5 ^ (i * 13));
    }
    return k;
}

/// Agent settings every node of the chain shares.
inline AgentConfig
SecureConfig(ControlProtection p)
{
    AgentConfig cfg;
    cfg.protection = p;
    cfg.nonceSeed = 42;
    cfg.keys.Add(kChainKeyId, ChainKey());
    cfg.control.rtoNs = 10'000'000;
    cfg.synRtoNs = 20'000'000;
    return cfg;
}

inline std::vector<uint8_t>
Tcp(const FiveTuple& t, uint32_t seq, uint32_t ack, uint8_t flags, uint32_t len = 0)
{
    std::vector<uint8_t> data(len);
    for (uint32_t i = 0; i < len; ++i)
    {
        data[i] = uint8_t(seq * 31 + i * 7);
    }
    return BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, seq, ack, flags, 65535, nullptr,
                          0, data.data(), data.size());
}

struct SecureChain
{
    NetBed net;
    FiveTuple session{kA, kD, 5000, 80, kProtoTcp};
    uint32_t sndA = 1001;
    uint32_t sndD = 9001;

    SecureChain(std::vector<uint32_t> middleboxes, AgentConfig base,
                std::vector<uint32_t> extra = {})
    {
        std::vector<uint32_t> nodes{kA, kD};
        nodes.insert(nodes.end(), middleboxes.begin(), middleboxes.end());
        nodes.insert(nodes.end(), extra.begin(), extra.end());
        for (uint32_t n : nodes)
        {
            AgentConfig cfg = base;
            cfg.address = n;
            cfg.localAddresses = {n};
            cfg.nonceSeed = base.nonceSeed + n;
            net.agents[n] = std::make_unique<Agent>(cfg);
        }
        Policy p{"p", Predicate{}, middleboxes};
        p.keyId = kChainKeyId;
        net[kA].Policies().Add(p);
        net.Send(kA, Tcp(session, 1000, 0, tcpflag::kSyn));
        net.Send(kD, Tcp(session.Reversed(), 9000, 1001, tcpflag::kSyn | tcpflag::kAck));
        net.Send(kA, Tcp(session, 1001, 9001, tcpflag::kAck));
    }

    void DataA(uint32_t len)
    {
        net.Send(kA, Tcp(session, sndA, sndD, tcpflag::kAck | tcpflag::kPsh, len));
        sndA += len;
    }
    void DataD(uint32_t len)
    {
        net.Send(kD, Tcp(session.Reversed(), sndD, sndA, tcpflag::kAck | tcpflag::kPsh, len));
        sndD += len;
    }

    /// Pure acks of everything the other end sent (the old path's teardown waits for them).
    void AckD() { net.Send(kD, Tcp(session.Reversed(), sndD, sndA, tcpflag::kAck)); }
    void AckA() { net.Send(kA, Tcp(session, sndA, sndD, tcpflag::kAck)); }

    /// Bytes of `len` data of A's last segment as D's stack got it (the payload of the
    /// newest packet delivered to D), checked against what A sent.
    bool LastDeliveredToDIsExact(uint32_t seq, uint32_t len)
    {
        if (net.delivered[kD].empty())
        {
            return false;
        }
        auto& pkt = net.delivered[kD].back();
        PacketView v(pkt.data(), pkt.size());
        if (v.Parse() != ParseError::kOk || v.Tuple() != session || v.SeqNumber() != seq ||
            v.PayloadLength() != len || !v.ChecksumsValid())
        {
            return false;
        }
        for (uint32_t i = 0; i < len; ++i)
        {
            if (v.Payload()[i] != uint8_t(seq * 31 + i * 7))
            {
                return false;
            }
        }
        return true;
    }

    /// Hands `pkt` to `node` as if it arrived from the network, then runs the bed.
    Verdict Inject(uint32_t node, std::vector<uint8_t> pkt)
    {
        Verdict v = net[node].Process(Direction::kIngress, pkt, net.now);
        net.Run();
        return v;
    }

    /// The subsession between `left` and its right neighbour, as `left` names it.
    FiveTuple RightSub(uint32_t left) const
    {
        return net.agents.at(left)->FindSession(session)->rightSub;
    }
    const Session& At(uint32_t node) const { return *net.agents.at(node)->FindSession(session); }

    /// Control packets on the wire since index `from` (for replay).
    std::vector<WirePacket> ControlSince(size_t from) const
    {
        std::vector<WirePacket> out;
        for (size_t i = from; i < net.wire.size(); ++i)
        {
            if (net.wire[i].bytes[9] == kProtoUdp)
            {
                out.push_back(net.wire[i]);
            }
        }
        return out;
    }
};

/// A control message about `sub` with the given identity fields.
inline ControlMessage
Forge(ControlType type, const FiveTuple& sub, uint32_t leftAnchor, uint32_t rightAnchor,
      uint32_t requestId, uint32_t serial)
{
    ControlMessage m;
    m.type = type;
    m.subsession = sub;
    m.leftAnchor = leftAnchor;
    m.rightAnchor = rightAnchor;
    m.requestId = requestId;
    m.serial = serial;
    return m;
}

} // namespace dysco::test

#endif
