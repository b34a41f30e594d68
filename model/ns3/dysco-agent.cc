#include "dysco-agent.h"

#include "core/bytes.h"
#include "core/security_text.h"
#include "dysco-traffic-control-layer.h"
#include "ns3/boolean.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/loopback-net-device.h"
#include "ns3/node.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoAgent");
NS_OBJECT_ENSURE_REGISTERED(DyscoAgent);

namespace
{
uint64_t
NowNs()
{
    return static_cast<uint64_t>(Simulator::Now().GetNanoSeconds());
}

/// The TCP tuple in raw IPv4 bytes, or false if they do not hold one.
bool
RawTcpTuple(const std::vector<uint8_t>& b, dysco::FiveTuple* t)
{
    if (b.size() < 20 || b[9] != dysco::kProtoTcp)
    {
        return false;
    }
    const size_t ihl = size_t(b[0] & 0x0f) * 4;
    if (b.size() < ihl + 4)
    {
        return false;
    }
    t->srcIp = dysco::Load32(&b[12]);
    t->dstIp = dysco::Load32(&b[16]);
    t->srcPort = dysco::Load16(&b[ihl]);
    t->dstPort = dysco::Load16(&b[ihl + 2]);
    t->protocol = dysco::kProtoTcp;
    return true;
}
} // namespace

TypeId
DyscoAgent::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoAgent")
            .SetParent<Object>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoAgent>()
            .AddAttribute(
                "IdleTimeout", "State of a session without traffic is freed after this time",
                TimeValue(Seconds(60)),
                MakeTimeAccessor(&DyscoAgent::SetIdleTimeout, &DyscoAgent::GetIdleTimeout),
                MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute(
                "CloseLinger", "State of a session is kept this long after FIN/FIN or RST",
                TimeValue(Seconds(2)),
                MakeTimeAccessor(&DyscoAgent::SetCloseLinger, &DyscoAgent::GetCloseLinger),
                MakeTimeChecker(Time(0)))
            .AddAttribute(
                "FirstPort", "Lowest port of the subsessions this agent creates",
                UintegerValue(20000),
                MakeUintegerAccessor(&DyscoAgent::SetFirstPort, &DyscoAgent::GetFirstPort),
                MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("LastPort", "Highest port of the subsessions this agent creates",
                          UintegerValue(48999),
                          MakeUintegerAccessor(&DyscoAgent::SetLastPort, &DyscoAgent::GetLastPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute(
                "MaxSessions", "Bound on live sessions; SYNs beyond it are not chained",
                UintegerValue(1u << 20),
                MakeUintegerAccessor(&DyscoAgent::SetMaxSessions, &DyscoAgent::GetMaxSessions),
                MakeUintegerChecker<uint32_t>(1))
            .AddAttribute(
                "ExpiryInterval", "Period of the idle/linger expiry scan while sessions exist",
                TimeValue(MilliSeconds(250)), MakeTimeAccessor(&DyscoAgent::m_expiryInterval),
                MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("ControlRto", "Retransmission timeout of control messages",
                          TimeValue(MilliSeconds(200)),
                          MakeTimeAccessor(&DyscoAgent::SetControlRto, &DyscoAgent::GetControlRto),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("ControlRetries",
                          "Resends of a control message before it is reported lost",
                          UintegerValue(6),
                          MakeUintegerAccessor(&DyscoAgent::SetControlRetries,
                                               &DyscoAgent::GetControlRetries),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("SynRto", "Retransmission timeout of a reconfiguration's new-path SYN",
                          TimeValue(MilliSeconds(500)),
                          MakeTimeAccessor(&DyscoAgent::SetSynRto, &DyscoAgent::GetSynRto),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute(
                "SynRetries", "New-path SYN resends before the reconfiguration aborts",
                UintegerValue(3),
                MakeUintegerAccessor(&DyscoAgent::SetSynRetries, &DyscoAgent::GetSynRetries),
                MakeUintegerChecker<uint32_t>())
            .AddAttribute("ControlProtection",
                          "Control-message protection: off, nonce (session nonce in every "
                          "message) or hmac (nonce and HMAC under the policy's chain key)",
                          StringValue("off"),
                          MakeStringAccessor(&DyscoAgent::SetControlProtection,
                                             &DyscoAgent::GetControlProtection),
                          MakeStringChecker())
            .AddAttribute(
                "ControlKeys", "Chain keys for hmac: KEYID:HEX[,KEYID:HEX...], 16+ bytes each",
                StringValue(""),
                MakeStringAccessor(&DyscoAgent::SetControlKeys, &DyscoAgent::GetControlKeys),
                MakeStringChecker())
            .AddAttribute(
                "NonceSeed",
                "Seed of the session nonces (mixed with the node id); 0: OpenSSL "
                "random bytes",
                UintegerValue(0),
                MakeUintegerAccessor(&DyscoAgent::SetNonceSeed, &DyscoAgent::GetNonceSeed),
                MakeUintegerChecker<uint64_t>())
            .AddAttribute("MaxChainAddresses",
                          "Chain SYNs whose address list is longer are refused",
                          UintegerValue(dysco::kMaxChainAddresses),
                          MakeUintegerAccessor(&DyscoAgent::SetMaxChainAddresses,
                                               &DyscoAgent::GetMaxChainAddresses),
                          MakeUintegerChecker<uint32_t>(1, dysco::kMaxChainAddresses))
            .AddAttribute(
                "ChainAllowList",
                "Prefixes every middlebox of a received chain SYN must lie in "
                "(a.b.c.d/len,...); empty: any",
                StringValue(""),
                MakeStringAccessor(&DyscoAgent::SetChainAllowList, &DyscoAgent::GetChainAllowList),
                MakeStringChecker())
            .AddAttribute(
                "RefuseWhenFull",
                "Beyond MaxSessions, drop a new session's SYN instead of passing it "
                "unchained",
                BooleanValue(false),
                MakeBooleanAccessor(&DyscoAgent::SetRefuseWhenFull, &DyscoAgent::GetRefuseWhenFull),
                MakeBooleanChecker())
            .AddAttribute(
                "HalfOpenTimeout",
                "State of a session that saw no ACK this long after its SYN is freed "
                "(0: never)",
                TimeValue(Seconds(10)),
                MakeTimeAccessor(&DyscoAgent::SetHalfOpenTimeout, &DyscoAgent::GetHalfOpenTimeout),
                MakeTimeChecker(Time(0)))
            .AddAttribute("Middlebox", "Packet middlebox applied to the packets this node forwards",
                          PointerValue(),
                          MakePointerAccessor(&DyscoAgent::SetMiddlebox, &DyscoAgent::GetMiddlebox),
                          MakePointerChecker<DyscoMiddlebox>())
            .AddTraceSource("AgentEvent",
                            "A protocol event of the core (setup, close, free, drop reason)",
                            MakeTraceSourceAccessor(&DyscoAgent::m_eventTrace),
                            "ns3::DyscoAgent::AgentEventTracedCallback")
            .AddTraceSource(
                "Drop",
                "A packet dropped by the agent or the node's middlebox (IPv4 header first at "
                "ingress, L4 header first at egress)",
                MakeTraceSourceAccessor(&DyscoAgent::m_dropTrace),
                "ns3::DyscoAgent::DropTracedCallback")
            .AddTraceSource("Rewrite", "A packet whose TCP tuple the agent translated",
                            MakeTraceSourceAccessor(&DyscoAgent::m_rewriteTrace),
                            "ns3::DyscoAgent::RewriteTracedCallback")
            .AddTraceSource("Reroute", "An egress packet re-sent through Ipv4 after its rewrite",
                            MakeTraceSourceAccessor(&DyscoAgent::m_rerouteTrace),
                            "ns3::DyscoAgent::RerouteTracedCallback")
            .AddTraceSource("LocalSegment",
                            "A TCP packet of the node's own stack, as that stack sees it: "
                            "leaving (before the agent's rewrite) or arriving (after it)",
                            MakeTraceSourceAccessor(&DyscoAgent::m_localSegmentTrace),
                            "ns3::DyscoAgent::LocalSegmentTracedCallback")
            .AddTraceSource("Originated",
                            "A packet the agent originated (control message, new-path "
                            "handshake, split segment), as IPv4 bytes, before it is sent",
                            MakeTraceSourceAccessor(&DyscoAgent::m_originatedTrace),
                            "ns3::DyscoAgent::OriginatedTracedCallback");
    return tid;
}

DyscoAgent::DyscoAgent() = default;

DyscoAgent::~DyscoAgent() = default;

void
DyscoAgent::NotifyNewAggregate()
{
    if (!m_node)
    {
        m_node = GetObject<Node>();
    }
    if (m_node)
    {
        Ptr<DyscoTrafficControlLayer> tc = m_node->GetObject<DyscoTrafficControlLayer>();
        if (tc)
        {
            tc->SetAgent(this);
            m_tc = tc;
        }
    }
    Object::NotifyNewAggregate();
}

void
DyscoAgent::DoDispose()
{
    ++m_expiryGeneration; // pending events become no-ops
    m_expiryPending = false;
    ++m_timerGeneration;
    m_timerAtNs = UINT64_MAX;
    m_tc = nullptr;
    m_middlebox = nullptr;
    m_node = nullptr;
    m_ipv4 = nullptr;
    m_core.reset();
    Object::DoDispose();
}

void
DyscoAgent::BuildCore()
{
    dysco::PolicyTable policies;
    if (m_core)
    {
        policies = m_core->Policies();
        m_config.address = m_core->Config().address;
        m_config.localAddresses = m_core->Config().localAddresses;
    }
    dysco::AgentConfig config = m_config;
    if (config.nonceSeed != 0 && m_node)
    {
        // One seed for all agents of a run, a different nonce stream per node.
        config.nonceSeed += (uint64_t(m_node->GetId()) + 1) * 0x9E3779B97F4A7C15ull;
    }
    m_core = std::make_unique<dysco::Agent>(config);
    m_core->Policies() = policies;
    m_core->SetEventSink([this](const dysco::AgentEvent& e) { m_eventTrace(e); });
}

void
DyscoAgent::ConfigChanged()
{
    if (!m_core)
    {
        return; // built on first use with the final attribute values
    }
    NS_ABORT_MSG_IF(m_core->SessionCount() != 0,
                    "DyscoAgent: attributes cannot change while sessions exist");
    BuildCore();
}

dysco::Agent&
DyscoAgent::GetCore()
{
    if (!m_core)
    {
        BuildCore();
    }
    return *m_core;
}

void
DyscoAgent::AddPolicy(const dysco::Policy& policy)
{
    GetCore().Policies().Add(policy);
}

void
DyscoAgent::SetMiddlebox(Ptr<DyscoMiddlebox> middlebox)
{
    m_middlebox = middlebox;
}

Ptr<DyscoMiddlebox>
DyscoAgent::GetMiddlebox() const
{
    return m_middlebox;
}

Ipv4Address
DyscoAgent::GetAddress()
{
    EnsureAddresses();
    return Ipv4Address(GetCore().Config().address);
}

void
DyscoAgent::RefreshAddresses()
{
    m_knownInterfaces = 0;
    EnsureAddresses();
}

void
DyscoAgent::EnsureAddresses()
{
    if (!m_ipv4)
    {
        if (!m_node)
        {
            return;
        }
        m_ipv4 = m_node->GetObject<Ipv4>();
        if (!m_ipv4)
        {
            return;
        }
    }
    // Addresses are assigned after the agent is installed; look again when interfaces appear.
    const uint32_t n = m_ipv4->GetNInterfaces();
    if (n == m_knownInterfaces && GetCore().Config().address != 0)
    {
        return;
    }
    uint32_t address = 0;
    std::vector<uint32_t> locals;
    for (uint32_t i = 0; i < n; ++i)
    {
        const bool loopback = DynamicCast<LoopbackNetDevice>(m_ipv4->GetNetDevice(i)) != nullptr;
        for (uint32_t j = 0; j < m_ipv4->GetNAddresses(i); ++j)
        {
            Ipv4Address a = m_ipv4->GetAddress(i, j).GetLocal();
            if (loopback || a.IsLocalhost() || a == Ipv4Address::GetAny())
            {
                continue;
            }
            locals.push_back(a.Get());
            if (address == 0)
            {
                address = a.Get();
            }
        }
    }
    m_knownInterfaces = n;
    if (address != 0)
    {
        GetCore().SetAddresses(address, std::move(locals));
        NS_LOG_INFO("node " << m_node->GetId() << " agent address " << Ipv4Address(address));
    }
}

dysco::Verdict
DyscoAgent::Process(dysco::Direction dir, std::vector<uint8_t>& packet)
{
    EnsureAddresses();
    dysco::FiveTuple before;
    const bool traced = !m_rewriteTrace.IsEmpty() && RawTcpTuple(packet, &before);
    dysco::Verdict v = GetCore().Process(dir, packet, NowNs());
    if (traced && v == dysco::Verdict::kForward)
    {
        dysco::FiveTuple after;
        if (RawTcpTuple(packet, &after) && after != before)
        {
            m_rewriteTrace(dir, before, after);
        }
    }
    ArmTimer();
    MaybeScheduleExpiry();
    return v;
}

void
DyscoAgent::NotifyDrop(Ptr<const Packet> packet, dysco::Direction dir, DropReason reason)
{
    ++m_drops;
    if (reason == DROP_MIDDLEBOX)
    {
        ++m_mbDrops;
    }
    m_dropTrace(packet, dir, reason);
}

void
DyscoAgent::NotifyLocalSegment(dysco::Direction dir, const std::vector<uint8_t>& packet)
{
    m_localSegmentTrace(dir, packet);
}

bool
DyscoAgent::IsLocalAddress(uint32_t ip)
{
    EnsureAddresses();
    const auto& locals = GetCore().Config().localAddresses;
    return std::find(locals.begin(), locals.end(), ip) != locals.end();
}

void
DyscoAgent::NotifyReroute(Ptr<const Packet> packet, Ipv4Address oldDst, Ipv4Address newDst)
{
    ++m_reroutes;
    m_rerouteTrace(packet, oldDst, newDst);
}

uint32_t
DyscoAgent::Reconfigure(const dysco::FiveTuple& session, Ipv4Address rightAnchor,
                        const std::vector<Ipv4Address>& middleboxes)
{
    EnsureAddresses();
    std::vector<uint32_t> list;
    for (const auto& a : middleboxes)
    {
        list.push_back(a.Get());
    }
    uint32_t id = GetCore().Reconfigure(session, rightAnchor.Get(), std::move(list), NowNs());
    Service();
    return id;
}

bool
DyscoAgent::RequestDeletion(const dysco::FiveTuple& session)
{
    EnsureAddresses();
    bool ok = GetCore().RequestDeletion(session, NowNs());
    Service();
    return ok;
}

bool
DyscoAgent::SetMiddleboxDelta(const dysco::FiveTuple& session, dysco::SeqDelta clientToServer,
                              dysco::SeqDelta serverToClient)
{
    bool ok = GetCore().SetMiddleboxDelta(session, clientToServer, serverToClient);
    Service();
    return ok;
}

void
DyscoAgent::Service()
{
    FlushOutputs();
    ArmTimer();
    MaybeScheduleExpiry();
}

void
DyscoAgent::FlushOutputs()
{
    // Sending may bring more packets back through the hook (and more outputs): swap the
    // queue out first and loop, and let a nested call leave the work to the outer one.
    if (!m_core || m_flushing || m_core->Outputs().empty())
    {
        return;
    }
    if (!m_tc && m_node)
    {
        m_tc = m_node->GetObject<DyscoTrafficControlLayer>();
    }
    m_flushing = true;
    std::vector<std::vector<uint8_t>> out;
    while (!m_core->Outputs().empty())
    {
        out.clear();
        out.swap(m_core->Outputs());
        for (const auto& packet : out)
        {
            ++m_originated;
            m_originatedTrace(packet);
            if (!m_tc || !m_tc->SendFromNode(packet))
            {
                ++m_unsendable;
                NS_LOG_WARN("node " << (m_node ? m_node->GetId() : 0)
                                    << ": could not send a packet the agent originated");
            }
        }
    }
    m_flushing = false;
}

void
DyscoAgent::ScheduleHere(Time delay, void (DyscoAgent::*method)(uint64_t), uint64_t generation)
{
    // Timers run in this node's context even when armed from outside (e.g. a scenario).
    const uint32_t context = m_node ? m_node->GetId() : Simulator::GetContext();
    Simulator::ScheduleWithContext(context, delay, method, this, generation);
}

void
DyscoAgent::ArmTimer()
{
    if (!m_core)
    {
        return;
    }
    const uint64_t deadline = m_core->NextDeadline();
    if (deadline == UINT64_MAX || deadline >= m_timerAtNs)
    {
        return; // nothing due, or the pending timer fires first (OnTimer re-arms)
    }
    m_timerAtNs = deadline;
    const uint64_t now = NowNs();
    // A deadline still due right after OnTimer ran must not spin at the same instant.
    const uint64_t delay = deadline > now ? deadline - now : (m_lastTimerNs == now ? 1000 : 0);
    ScheduleHere(NanoSeconds(delay), &DyscoAgent::OnTimer, ++m_timerGeneration);
}

void
DyscoAgent::OnTimer(uint64_t generation)
{
    if (generation != m_timerGeneration || !m_core)
    {
        return; // superseded by an earlier deadline, or disposed
    }
    m_timerAtNs = UINT64_MAX;
    m_lastTimerNs = NowNs();
    m_core->OnTimer(m_lastTimerNs);
    Service();
}

size_t
DyscoAgent::GetSessionCount() const
{
    return m_core ? m_core->SessionCount() : 0;
}

dysco::AgentCounters
DyscoAgent::GetCounters() const
{
    return m_core ? m_core->Counters() : dysco::AgentCounters{};
}

void
DyscoAgent::MaybeScheduleExpiry()
{
    // Scheduled only while sessions exist, so an idle agent never keeps a simulation alive.
    if (!m_expiryPending && m_core && m_core->SessionCount() > 0)
    {
        m_expiryPending = true;
        ScheduleHere(m_expiryInterval, &DyscoAgent::Expire, m_expiryGeneration);
    }
}

void
DyscoAgent::Expire(uint64_t generation)
{
    if (generation != m_expiryGeneration || !m_core)
    {
        return;
    }
    m_expiryPending = false;
    size_t freed = m_core->ExpireIdle(NowNs());
    NS_LOG_LOGIC("expired " << freed << " sessions, " << m_core->SessionCount() << " left");
    Service();
}

void
DyscoAgent::SetIdleTimeout(Time t)
{
    m_config.idleTimeoutNs = static_cast<uint64_t>(t.GetNanoSeconds());
    ConfigChanged();
}

Time
DyscoAgent::GetIdleTimeout() const
{
    return NanoSeconds(m_config.idleTimeoutNs);
}

void
DyscoAgent::SetCloseLinger(Time t)
{
    m_config.closeLingerNs = static_cast<uint64_t>(t.GetNanoSeconds());
    ConfigChanged();
}

Time
DyscoAgent::GetCloseLinger() const
{
    return NanoSeconds(m_config.closeLingerNs);
}

void
DyscoAgent::SetFirstPort(uint16_t p)
{
    m_config.firstPort = p;
    ConfigChanged();
}

uint16_t
DyscoAgent::GetFirstPort() const
{
    return m_config.firstPort;
}

void
DyscoAgent::SetLastPort(uint16_t p)
{
    m_config.lastPort = p;
    ConfigChanged();
}

uint16_t
DyscoAgent::GetLastPort() const
{
    return m_config.lastPort;
}

void
DyscoAgent::SetMaxSessions(uint32_t n)
{
    m_config.maxSessions = n;
    ConfigChanged();
}

uint32_t
DyscoAgent::GetMaxSessions() const
{
    return static_cast<uint32_t>(m_config.maxSessions);
}

void
DyscoAgent::SetControlRto(Time t)
{
    m_config.control.rtoNs = static_cast<uint64_t>(t.GetNanoSeconds());
    if (m_core)
    {
        m_core->SetControlConfig(m_config.control);
    }
}

Time
DyscoAgent::GetControlRto() const
{
    return NanoSeconds(m_config.control.rtoNs);
}

void
DyscoAgent::SetControlRetries(uint32_t n)
{
    m_config.control.retries = n;
    if (m_core)
    {
        m_core->SetControlConfig(m_config.control);
    }
}

uint32_t
DyscoAgent::GetControlRetries() const
{
    return m_config.control.retries;
}

void
DyscoAgent::SetSynRto(Time t)
{
    m_config.synRtoNs = static_cast<uint64_t>(t.GetNanoSeconds());
    if (m_core)
    {
        m_core->SetSynRetransmission(m_config.synRtoNs, m_config.synRetries);
    }
}

Time
DyscoAgent::GetSynRto() const
{
    return NanoSeconds(m_config.synRtoNs);
}

void
DyscoAgent::SetSynRetries(uint32_t n)
{
    m_config.synRetries = n;
    if (m_core)
    {
        m_core->SetSynRetransmission(m_config.synRtoNs, m_config.synRetries);
    }
}

uint32_t
DyscoAgent::GetSynRetries() const
{
    return m_config.synRetries;
}

void
DyscoAgent::SetControlProtection(std::string p)
{
    NS_ABORT_MSG_UNLESS(dysco::ParseControlProtection(p, &m_config.protection),
                        "DyscoAgent::ControlProtection: expected off, nonce or hmac, got \""
                            << p << "\"");
    ConfigChanged();
}

std::string
DyscoAgent::GetControlProtection() const
{
    return dysco::ToString(m_config.protection);
}

void
DyscoAgent::SetControlKeys(std::string keys)
{
    std::string error;
    NS_ABORT_MSG_UNLESS(dysco::ParseChainKeys(keys, &m_config.keys, &error),
                        "DyscoAgent::ControlKeys: " << error);
    m_controlKeysText = keys;
    ConfigChanged();
}

std::string
DyscoAgent::GetControlKeys() const
{
    return m_controlKeysText;
}

void
DyscoAgent::SetChainAllowList(std::string prefixes)
{
    std::string error;
    NS_ABORT_MSG_UNLESS(dysco::ParsePrefixList(prefixes, &m_config.chainAllowList, &error),
                        "DyscoAgent::ChainAllowList: " << error);
    m_allowListText = prefixes;
    ConfigChanged();
}

std::string
DyscoAgent::GetChainAllowList() const
{
    return m_allowListText;
}

void
DyscoAgent::SetNonceSeed(uint64_t seed)
{
    m_config.nonceSeed = seed;
    ConfigChanged();
}

uint64_t
DyscoAgent::GetNonceSeed() const
{
    return m_config.nonceSeed;
}

void
DyscoAgent::SetMaxChainAddresses(uint32_t n)
{
    m_config.maxChainAddresses = n;
    ConfigChanged();
}

uint32_t
DyscoAgent::GetMaxChainAddresses() const
{
    return uint32_t(m_config.maxChainAddresses);
}

void
DyscoAgent::SetRefuseWhenFull(bool refuse)
{
    m_config.refuseWhenFull = refuse;
    ConfigChanged();
}

bool
DyscoAgent::GetRefuseWhenFull() const
{
    return m_config.refuseWhenFull;
}

void
DyscoAgent::SetHalfOpenTimeout(Time t)
{
    m_config.halfOpenTimeoutNs = uint64_t(t.GetNanoSeconds());
    ConfigChanged();
}

Time
DyscoAgent::GetHalfOpenTimeout() const
{
    return NanoSeconds(m_config.halfOpenTimeoutNs);
}

} // namespace ns3
