// Cost of control-message protection per message (README "Security"), argument 0 = off,
// 1 = nonce, 2 = nonce + HMAC-SHA256:
//   BM_ControlSend/<p>:   encode a requestLock with two addresses into an IPv4/UDP packet
//                         (and compute its MAC);
//   BM_ControlVerify/<p>: decode it and check its MAC, as a receiver does first;
//   BM_AgentControl/<p>:  a neighbour builds a nackLock and the agent takes it: decode, MAC,
//                         session lookup, nonce check, replay window, transport ack (with
//                         its own MAC), the lock rules. Fresh serials every time.
#include "core/agent.h"
#include "core/control.h"
#include "core/packet.h"
#include "core/packet_edit.h"

#include <benchmark/benchmark.h>

namespace
{

using namespace dysco;

constexpr uint32_t kSelf = 0x0A000001;
constexpr uint32_t kPeer = 0x0A000101;
constexpr uint32_t kServer = 0x0A000301;
constexpr uint32_t kKeyId = 5;

KeyRing
Keys()
{
    KeyRing k;
    k.Add(kKeyId, std::vector<uint8_t>(32, 0x5A));
    return k;
}

ControlMessage
Message(int64_t protection)
{
    ControlMessage m;
    m.type = ControlType::kRequestLock;
    m.subsession = FiveTuple{kSelf, kPeer, 20000, 20001, kProtoTcp};
    m.leftAnchor = kSelf;
    m.rightAnchor = kServer;
    m.requestId = 1;
    m.addresses = {kPeer, kServer};
    if (protection >= 1)
    {
        m.protection |= kProtectNonce;
        m.nonce = 0x0123456789ABCDEFull;
    }
    if (protection >= 2)
    {
        m.protection |= kProtectMac;
        m.keyId = kKeyId;
    }
    return m;
}

void
BM_ControlSend(benchmark::State& state)
{
    const KeyRing keys = Keys();
    ControlMessage m = Message(state.range(0));
    for (auto _ : state)
    {
        ++m.serial;
        auto pkt = BuildControlPacket(kSelf, kPeer, m, &keys);
        benchmark::DoNotOptimize(pkt.data());
    }
}
BENCHMARK(BM_ControlSend)->Arg(0)->Arg(1)->Arg(2);

void
BM_ControlVerify(benchmark::State& state)
{
    const KeyRing keys = Keys();
    const auto pkt = BuildControlPacket(kSelf, kPeer, Message(state.range(0)), &keys);
    const uint8_t* payload = pkt.data() + 28;
    const size_t len = pkt.size() - 28;
    for (auto _ : state)
    {
        ControlMessage m;
        bool ok = DecodeControl(payload, len, &m) == ControlError::kOk &&
                  VerifyControlMac(payload, len, m, keys);
        benchmark::DoNotOptimize(ok);
    }
}
BENCHMARK(BM_ControlVerify)->Arg(0)->Arg(1)->Arg(2);

void
BM_AgentControl(benchmark::State& state)
{
    const int64_t p = state.range(0);
    AgentConfig cfg;
    cfg.address = kSelf;
    cfg.protection = p == 0 ? ControlProtection::kOff
                            : (p == 1 ? ControlProtection::kNonce : ControlProtection::kHmac);
    cfg.nonceSeed = 1;
    cfg.keys = Keys();
    Agent a(cfg);
    Policy pol{"all", Predicate{}, {kPeer}};
    pol.keyId = kKeyId;
    a.Policies().Add(pol);
    const FiveTuple session{kSelf, kServer, 5000, 80, kProtoTcp};
    auto syn = BuildTcpPacket(session.srcIp, session.dstIp, session.srcPort, session.dstPort, 1, 0,
                              tcpflag::kSyn, 65535, nullptr, 0, nullptr, 0);
    a.Process(Direction::kEgress, syn, 1);
    a.Outputs().clear();
    const Session& s = *a.FindSession(session);
    ControlMessage m;
    m.type = ControlType::kNackLock; // answers no request: taken, checked, counted, dropped
    m.subsession = s.rightSub;
    m.leftAnchor = kSelf;
    m.requestId = 99;
    if (s.nonce != 0)
    {
        m.protection |= kProtectNonce;
        m.nonce = s.nonce;
    }
    if (p == 2)
    {
        m.protection |= kProtectMac;
        m.keyId = kKeyId;
    }
    const KeyRing keys = Keys();
    uint64_t now = 1000;
    for (auto _ : state)
    {
        ++m.serial;
        auto pkt = BuildControlPacket(kPeer, kSelf, m, &keys);
        benchmark::DoNotOptimize(a.Process(Direction::kIngress, pkt, ++now));
        a.Outputs().clear();
    }
    if (a.Counters().controlRejected != 0 || a.Counters().controlReceived == 0)
    {
        state.SkipWithError("control messages were rejected");
    }
}
BENCHMARK(BM_AgentControl)->Arg(0)->Arg(1)->Arg(2);

} // namespace
