#include "runner.h"

#include "address_plan.h"
#include "attacker.h"
#include "beamer_install.h"
#include "box_cpu_install.h"
#include "classifier_install.h"
#include "close_injector.h"
#include "ns3/core-module.h"
#include "ns3/dysco-cgnat.h"
#include "ns3/dysco-classifier.h"
#include "ns3/dysco-content-modifier.h"
#include "ns3/dysco-firewall.h"
#include "ns3/dysco-helper.h"
#include "ns3/dysco-monitor.h"
#include "ns3/dysco-selective-loss.h"
#include "ns3/dysco-seq-offset.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/nsh-chaining.h"
#include "ns3/nsh-header.h"
#include "ns3/point-to-point-module.h"
#include "ns3/socks-request.h"
#include "ns3/stream-receiver.h"
#include "ns3/stream-sender.h"
#include "policy_server_run.h"
#include "progress.h"
#include "proxy_install.h"
#include "reconfig_driver.h"
#include "reorder_counter.h"
#include "run_context.h"
#include "stateful_boxes.h"
#include "stream_edits.h"
#ifdef DYSCO_WITH_CHECKER
#include "trace_recorder.h"
#endif

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>

namespace dyscosim
{

using namespace ns3;

namespace
{

using Clock = std::chrono::steady_clock;

double
SecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Global ns-3 defaults that must be in place before any node or socket exists.
void
ConfigureDefaults(const Scenario& s)
{
    // Every rewrite the agents make must keep checksums right; ns-3 only verifies them
    // (and drops bad packets) when this is on.
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    RngSeedManager::SetSeed(s.seed);
    RngSeedManager::SetRun(s.seed);
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(s.tcp.segmentSize));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(s.tcp.sndBufBytes));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(s.tcp.rcvBufBytes));
    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(s.tcp.sack));
    Config::SetDefault("ns3::TcpSocketBase::Timestamp", BooleanValue(s.tcp.timestamps));
    Config::SetDefault("ns3::TcpSocketBase::WindowScaling", BooleanValue(s.tcp.windowScaling));
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(Seconds(s.tcp.minRtoS)));
    Config::SetDefault("ns3::TcpSocket::DelAckTimeout", TimeValue(Seconds(s.tcp.delAckS)));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(s.tcp.delAckCount));
    Config::SetDefault("ns3::TcpSocketBase::UseEcn",
                       EnumValue(s.tcp.ecn ? TcpSocketState::On : TcpSocketState::Off));
}

/// Random packet loss at a receiving device, on its own RNG stream so that adding a link
/// does not reshuffle the losses of the others.
void
AddLoss(Ptr<NetDevice> device, double loss, int64_t stream)
{
    Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
    em->SetAttribute("ErrorUnit", EnumValue(RateErrorModel::ERROR_UNIT_PACKET));
    em->SetAttribute("ErrorRate", DoubleValue(loss));
    em->AssignStreams(stream);
    device->SetAttribute("ReceiveErrorModel", PointerValue(em));
}

std::map<std::string, uint64_t>
CounterMap(const dysco::AgentCounters& c)
{
    std::map<std::string, uint64_t> m;
    for (const dysco::NamedCounter& n : dysco::NamedCounters(c))
    {
        if (n.always || n.value != 0)
        {
            m[n.name] = n.value;
        }
    }
    return m;
}

/// First random stream of the failure-injection loss models: apart from the plain link
/// loss streams, so adding a rule does not move the losses of existing scenarios.
constexpr int64_t kSelectiveLossStreams = 100000;
/// First random stream of the seq_offset middleboxes (one per node).
constexpr int64_t kSeqOffsetStreams = 200000;
/// First random stream of the proxies' ISN offsets (one per node).
constexpr int64_t kProxyStreams = 210000;
/// Random stream of the traffic start jitter.
constexpr int64_t kStartJitterStream = 300000;

/// The agent attributes a scenario sets (AgentSpec) on every agent DyscoHelper installs.
void
ApplyAgentSpec(const AgentSpec& a, DyscoHelper* dysco)
{
    if (a.controlRtoS)
    {
        dysco->SetAgentAttribute("ControlRto", TimeValue(Seconds(*a.controlRtoS)));
    }
    if (a.controlRetries)
    {
        dysco->SetAgentAttribute("ControlRetries", UintegerValue(*a.controlRetries));
    }
    if (a.synRtoS)
    {
        dysco->SetAgentAttribute("SynRto", TimeValue(Seconds(*a.synRtoS)));
    }
    if (a.synRetries)
    {
        dysco->SetAgentAttribute("SynRetries", UintegerValue(*a.synRetries));
    }
    if (a.closeLingerS)
    {
        dysco->SetAgentAttribute("CloseLinger", TimeValue(Seconds(*a.closeLingerS)));
    }
    if (a.idleTimeoutS)
    {
        dysco->SetAgentAttribute("IdleTimeout", TimeValue(Seconds(*a.idleTimeoutS)));
    }
}

/// Security settings (README "Security"): protection, limits, and every policy's chain key
/// at every agent (key id i+1 for policy i, as ResolvePolicies names them).
void
ApplySecuritySpec(const Scenario& s, DyscoHelper* dysco)
{
    const AgentSpec& a = s.agents;
    if (a.controlProtection)
    {
        dysco->SetAgentAttribute("ControlProtection", StringValue(*a.controlProtection));
        dysco->SetAgentAttribute("NonceSeed", UintegerValue(uint64_t(s.seed) * 1000003 + 1));
    }
    if (a.halfOpenTimeoutS)
    {
        dysco->SetAgentAttribute("HalfOpenTimeout", TimeValue(Seconds(*a.halfOpenTimeoutS)));
    }
    if (a.maxChainAddresses)
    {
        dysco->SetAgentAttribute("MaxChainAddresses", UintegerValue(*a.maxChainAddresses));
    }
    if (a.chainAllow)
    {
        dysco->SetAgentAttribute("ChainAllowList", StringValue(*a.chainAllow));
    }
    if (a.refuseWhenFull)
    {
        dysco->SetAgentAttribute("RefuseWhenFull", BooleanValue(*a.refuseWhenFull));
    }
    if (a.maxSessions)
    {
        dysco->SetAgentAttribute("MaxSessions", UintegerValue(*a.maxSessions));
    }
    std::string keys;
    for (size_t i = 0; i < s.policies.size(); ++i)
    {
        if (!s.policies[i].key.empty())
        {
            keys += (keys.empty() ? "" : ",") + std::to_string(i + 1) + ":" + s.policies[i].key;
        }
    }
    if (!keys.empty())
    {
        dysco->SetAgentAttribute("ControlKeys", StringValue(keys));
    }
}

Time
WindowEnd(const TimeWindow& w)
{
    return w.untilS < 0 ? Time(-1) : Seconds(w.untilS);
}

/// Polls simulated time for the progress display; a few hundred events per run.
void
ProgressTick(Progress* progress, Clock::time_point start, Time step)
{
    progress->Update(Simulator::Now().GetSeconds(), SecondsSince(start));
    Simulator::Schedule(step, &ProgressTick, progress, start, step);
}

struct SenderInfo
{
    Ptr<DyscoStreamSender> app;
    SessionResult session;
};

/// One run: builds the ns-3 objects of a scenario, runs them, reads the results back.
class Simulation
{
public:
    Simulation(const Scenario& s, const RunOptions& options)
        : m_s(s)
        , m_options(options)
        , m_plan(s)
    {
    }

    RunResult Run()
    {
        Clock::time_point wallStart = Clock::now();
        ConfigureDefaults(m_s);
        BuildNetwork();
        InstallFunctions();
        InstallBoxCpus(m_s, m_nodes);
        InstallTraffic();
        m_driver->Install();
        m_policyServer->Install();
        m_injector->Install();
        m_reorder = std::make_unique<ReorderCounter>(*m_ctx);
        m_reorder->Install();
        m_attacker->Install();
        EnableCaptures();

        Progress progress(std::cerr, m_s.durationS, Progress::IsTerminal(2));
        if (m_options.progress)
        {
            Time step = Seconds(m_s.durationS / 200);
            Simulator::Schedule(step, &ProgressTick, &progress, wallStart, step);
        }
        if (m_s.goodputSampleS > 0)
        {
            Simulator::Schedule(Seconds(m_s.goodputSampleS), &Simulation::SampleGoodput, this);
        }
        Simulator::Stop(Seconds(m_s.durationS));
        Simulator::Run();
        FinishTrace();

        RunResult r;
        r.scenario = m_s.name;
        r.seed = m_s.seed;
        r.quick = m_options.quick;
        r.simTimeS = Simulator::Now().GetSeconds();
        CollectSessions(&r);
        CollectCounters(&r);
        CollectProxies(&r);
        CollectBoxCpus(m_s, m_nodes, &r);
        m_driver->Collect(&r);
        m_policyServer->Collect(&r);
        CollectFailures(&r);
        CollectMigrations(*m_ctx, *m_reorder, &r);
        r.goodput = std::move(m_goodput);

        m_senders.clear();
        m_receivers.clear();
        m_monitors.clear();
        m_proxies.clear();
        m_classifiers.clear();
        m_beamers.clear();
        m_nsh.clear();
        m_lossModels.clear();
        m_injector.reset();
        m_reorder.reset();
        m_attacker.reset();
        m_policyServer.reset();
        m_driver.reset();
        m_ctx.reset();
        Simulator::Destroy();
        Names::Clear();
#ifdef DYSCO_WITH_CHECKER
        m_trace.reset();
#endif
        r.wallTimeS = SecondsSince(wallStart);
        if (m_options.progress)
        {
            progress.Finish(r.simTimeS, r.wallTimeS);
        }
        return r;
    }

private:
    Ptr<Node> NodeAt(size_t i) const
    {
        return m_nodes.Get(uint32_t(i));
    }

    /// Nodes, the Dysco stack, links with loss, addresses per AddressPlan, routes.
    void BuildNetwork()
    {
        m_nodes.Create(uint32_t(m_s.nodes.size()));
        for (size_t i = 0; i < m_s.nodes.size(); ++i)
        {
            Names::Add(m_s.nodes[i].name, NodeAt(i)); // pcap files carry node names
        }
        m_ctx = std::make_unique<RunContext>(m_s, m_plan, m_nodes);
        m_driver = std::make_unique<ReconfigDriver>(*m_ctx);
        m_policyServer = std::make_unique<PolicyServerRun>(*m_ctx, *m_driver);
        m_injector = std::make_unique<CloseInjector>(*m_ctx);
        m_attacker = std::make_unique<Attacker>(*m_ctx);
        DyscoHelper dysco;
        ApplyAgentSpec(m_s.agents, &dysco);
        ApplySecuritySpec(m_s, &dysco);
        dysco.InstallStack(m_nodes); // before addresses: Assign wires in its TC layer

        if (!m_s.nsh.edges.empty())
        {
            // The NSH baseline's 38 bytes ride on full-size segments (jumbo underlay).
            m_p2p.SetDeviceAttribute("Mtu", UintegerValue(1500 + NshHeader::kSize));
        }
        Ipv4AddressHelper addresses;
        int64_t lossStream = 0;
        for (size_t i = 0; i < m_s.links.size(); ++i)
        {
            const LinkSpec& l = m_s.links[i];
            m_p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(l.rateBps)));
            m_p2p.SetChannelAttribute("Delay", TimeValue(NanoSeconds(int64_t(l.delayNs))));
            NetDeviceContainer devices = m_p2p.Install(NodeAt(l.a), NodeAt(l.b));
            for (uint32_t side = 0; side < 2; ++side)
            {
                if (!AddSelectiveLoss(devices.Get(side), l, side == 0 ? l.a : l.b) && l.loss > 0)
                {
                    AddLoss(devices.Get(side), l.loss, lossStream++);
                }
            }
            addresses.SetBase(Ipv4Address(AddressPlan::LinkSubnet(i)),
                              Ipv4Mask(AddressPlan::kLinkMask));
            addresses.Assign(devices); // a gets .1, b gets .2, as AddressPlan says
        }
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    }

    /// Failure injection on one receiving device: control-message loss, data loss (in a
    /// window, optionally only during two-path phases) and its node being down, plus the
    /// link's plain loss when any of those is present. False if there is nothing to inject.
    bool AddSelectiveLoss(Ptr<NetDevice> device, const LinkSpec& l, size_t node)
    {
        std::vector<DyscoSelectiveLoss::Rule> rules;
        if (l.controlLoss > 0)
        {
            rules.push_back({DyscoSelectiveLoss::CONTROL, l.controlLoss, Time(0), Time(-1), {}});
        }
        if (l.dataLoss > 0)
        {
            DyscoSelectiveLoss::Rule r{DyscoSelectiveLoss::DATA,
                                       l.dataLoss,
                                       Seconds(l.dataLossWindow.fromS),
                                       WindowEnd(l.dataLossWindow),
                                       {}};
            if (l.dataLossInTwoPaths)
            {
                r.gate = [this]() { return m_driver && m_driver->AnyInTwoPaths(); };
            }
            rules.push_back(r);
        }
        if (m_s.nodes[node].down)
        {
            const TimeWindow& w = *m_s.nodes[node].down;
            rules.push_back({DyscoSelectiveLoss::ALL, 1.0, Seconds(w.fromS), WindowEnd(w), {}});
        }
        if (rules.empty())
        {
            return false;
        }
        if (l.loss > 0)
        {
            rules.push_back({DyscoSelectiveLoss::ALL, l.loss, Time(0), Time(-1), {}});
        }
        Ptr<DyscoSelectiveLoss> model = CreateObject<DyscoSelectiveLoss>();
        for (const auto& r : rules)
        {
            model->AddRule(r, kSelectiveLossStreams + m_lossStreams++);
        }
        device->SetAttribute("ReceiveErrorModel", PointerValue(model));
        m_lossModels.push_back(model);
        return true;
    }

    /// The classifier of node `i`: its rules' nodes resolved to their agents' addresses.
    void InstallClassifier(size_t i)
    {
        const ClassifierSpec& spec = m_s.nodes[i].classifier;
        std::vector<DyscoClassifier::Rule> rules;
        for (const auto& r : spec.rules)
        {
            rules.push_back(
                {ClassifierRule{r.dstPort, r.prefix}, Ipv4Address(m_ctx->AgentAddress(r.insert))});
        }
        Ptr<DyscoClassifier> box = CreateObject<DyscoClassifier>();
        box->Configure(m_ctx->Agent(i), rules,
                       spec.fallback ? Ipv4Address(m_ctx->AgentAddress(*spec.fallback))
                                     : Ipv4Address::GetAny());
        DyscoHelper::SetMiddlebox(NodeAt(i), box);
        m_classifiers.emplace_back(i, box);
    }

    /// Middlebox functions and policies (node names resolved to first addresses).
    void InstallFunctions()
    {
        for (size_t i = 0; i < m_s.nodes.size(); ++i)
        {
            const NodeSpec& n = m_s.nodes[i];
            if (n.middlebox == MiddleboxKind::kMonitor)
            {
                Ptr<DyscoMonitor> monitor = CreateObject<DyscoMonitor>();
                DyscoHelper::SetMiddlebox(NodeAt(i), monitor);
                m_monitors.emplace_back(i, monitor);
            }
            else if (IsStateful(n.middlebox))
            {
                Ptr<DyscoStatefulMiddlebox> box = MakeStatefulBox(m_s, i, m_plan);
                DyscoHelper::SetMiddlebox(NodeAt(i), box);
                m_ctx->statefulBoxes[i] = box;
                if (Ptr<DyscoNat> nat = DynamicCast<DyscoNat>(box))
                {
                    nat->TraceConnectWithoutContext("Rewrite",
                                                    MakeCallback(&Simulation::NatRewrite, this));
                }
            }
            else if (n.middlebox == MiddleboxKind::kSeqOffset)
            {
                Ptr<DyscoSeqOffset> box = CreateObject<DyscoSeqOffset>();
                box->SetAttribute("RandomClientToServer", BooleanValue(n.seqOffset[0].random));
                box->SetAttribute("RandomServerToClient", BooleanValue(n.seqOffset[1].random));
                box->SetAttribute("ClientToServer", UintegerValue(n.seqOffset[0].value));
                box->SetAttribute("ServerToClient", UintegerValue(n.seqOffset[1].value));
                box->AssignStreams(kSeqOffsetStreams + int64_t(i));
                DyscoHelper::SetMiddlebox(NodeAt(i), box);
                m_ctx->seqOffsets.emplace_back(i, box);
            }
            else if (n.middlebox == MiddleboxKind::kClassifier)
            {
                InstallClassifier(i);
            }
            else if (n.middlebox == MiddleboxKind::kProxy ||
                     n.middlebox == MiddleboxKind::kContentModifier ||
                     n.middlebox == MiddleboxKind::kSocks)
            {
                m_proxies.emplace_back(i, InstallProxy(NodeAt(i), n, kProxyStreams + int64_t(i)));
                // The onward connection of a SOCKS-like proxy is an alias of the client's.
                m_proxies.back().second->TraceConnectWithoutContext(
                    "Onward", MakeCallback(&Simulation::NatRewrite, this));
            }
            else if (n.middlebox == MiddleboxKind::kBeamer)
            {
                m_beamers.push_back(InstallBeamer(m_s, i, m_plan, m_nodes));
                m_beamers.back()->mux->TraceConnectWithoutContext(
                    "Rewrite", MakeCallback(&Simulation::NatRewrite, this));
            }
        }
        InstallNsh();
        for (const auto& np : ResolvePolicies(m_s, m_plan))
        {
            DyscoHelper::AddPolicy(NodeAt(np.node), np.policy);
        }
        m_ctx->migration = CreateObject<DyscoStateMigration>();
    }

    /// A NAT's first rewrite of a session makes its outside header an alias of the session.
    void NatRewrite(const dysco::FiveTuple& before, const dysco::FiveTuple& after)
    {
        if (m_ctx->StreamOf(after) == 0 && m_ctx->StreamOf(before) != 0)
        {
            m_ctx->AddAlias(after, before);
        }
    }

    /// Delivered bytes per traffic entry now (receiver side forward, client side reverse).
    void SampleGoodput()
    {
        GoodputSample g;
        g.timeS = Simulator::Now().GetSeconds();
        g.bytesPerTraffic.assign(m_s.traffic.size(), 0);
        for (const auto& st : m_ctx->streams)
        {
            g.bytesPerTraffic[st.traffic] += st.sender->GetReverseBytesReceived();
        }
        for (const auto& [key, rx] : m_receivers)
        {
            for (const auto& rec : rx->GetRecords())
            {
                if (rec.idComplete && rec.streamId >= 1 && rec.streamId <= m_ctx->streams.size())
                {
                    g.bytesPerTraffic[m_ctx->streams[rec.streamId - 1].traffic] +=
                        rec.bytesReceived;
                }
            }
        }
        for (const auto& [node, proxy] : m_proxies)
        {
            g.proxyBusyS.push_back(proxy->GetBusyTime().GetSeconds());
            g.proxyRelayed.push_back(proxy->GetRelayedBytes());
        }
        m_goodput.push_back(std::move(g));
        Simulator::Schedule(Seconds(m_s.goodputSampleS), &Simulation::SampleGoodput, this);
    }

    /// The NSH encapsulation baseline, if the scenario has one.
    void InstallNsh()
    {
        const NshSpec& n = m_s.nsh;
        const Time cost = NanoSeconds(int64_t(n.functionCostUs * 1000 + 0.5));
        for (size_t e : n.edges)
        {
            m_nsh.emplace_back(e, NshChaining::Install(NodeAt(e), NshChaining::EDGE, cost,
                                                       uint8_t(n.functions.size())));
        }
        for (size_t f : n.functions)
        {
            m_nsh.emplace_back(f, NshChaining::Install(NodeAt(f), NshChaining::FUNCTION, cost,
                                                       uint8_t(n.functions.size())));
        }
    }

    /// One receiver per (host, port); every session is one sender with its own stream id.
    void InstallTraffic()
    {
        uint64_t nextStream = 1;
        m_ctx->trafficEdits = TrafficEdits(m_s, m_plan);
        Ptr<UniformRandomVariable> jitter = CreateObject<UniformRandomVariable>();
        jitter->SetStream(kStartJitterStream); // start jitter draws disturb no other stream
        for (const auto& t : m_s.traffic)
        {
            // A load balancer's sessions are accepted by its backends: one receiver each.
            const std::vector<size_t> hosts = ServingHosts(m_s, t.to);
            for (size_t host : hosts)
            {
                auto key = std::make_pair(host, t.port);
                if (!m_receivers.count(key))
                {
                    Ptr<DyscoStreamReceiver> rx = CreateObject<DyscoStreamReceiver>();
                    rx->SetAttribute(
                        "Local", AddressValue(InetSocketAddress(Ipv4Address::GetAny(), t.port)));
                    NodeAt(host)->AddApplication(rx);
                    rx->SetStartTime(Seconds(0));
                    m_receivers[key] = rx;
                    if (host != hosts.front())
                    {
                        m_ctx->otherReceivers.push_back(rx);
                    }
                }
            }
            const auto key = std::make_pair(hosts.front(), t.port);
            Address remote = InetSocketAddress(Ipv4Address(m_plan.FirstAddress(t.to)), t.port);
            for (uint32_t k = 0; k < t.sessions; ++k)
            {
                SenderInfo info;
                info.app = CreateObject<DyscoStreamSender>();
                info.app->SetAttribute("Remote", AddressValue(remote));
                info.app->SetAttribute("TotalBytes", UintegerValue(t.bytes));
                info.app->SetAttribute("StreamId", UintegerValue(nextStream));
                if (t.sendSize > 0)
                {
                    info.app->SetAttribute("SendSize", UintegerValue(t.sendSize));
                }
                info.app->SetAttribute("ReverseBytes", UintegerValue(t.reverseBytes));
                info.app->SetAttribute("Rate", DataRateValue(DataRate(t.rateBps)));
                if (t.viaSocks)
                {
                    SetSocksClient(info, t);
                }
                info.app->SetPrefix(t.prefix);
                const StreamEdit* edit = nullptr;
                StreamEdit e;
                if (const auto& te = m_ctx->trafficEdits[size_t(&t - m_s.traffic.data())])
                {
                    e = StreamEdit{te->edit.offset, te->edit.remove, te->edit.insert,
                                   &ContentModifierByte};
                    edit = &e;
                    info.session.editDelta = e.Delta();
                }
                for (size_t host : hosts)
                {
                    m_receivers[{host, t.port}]->SetReverseBytes(nextStream, t.reverseBytes);
                    m_receivers[{host, t.port}]->SetReverseRate(nextStream, DataRate(t.rateBps));
                    if (!t.prefix.empty())
                    {
                        m_receivers[{host, t.port}]->SetPrefix(nextStream, t.prefix);
                    }
                    if (edit != nullptr)
                    {
                        m_receivers[{host, t.port}]->SetExpectedEdit(nextStream, *edit);
                    }
                }
                StreamApps apps;
                apps.streamId = nextStream;
                apps.traffic = size_t(&t - m_s.traffic.data());
                apps.from = t.from;
                apps.to = t.to;
                apps.sender = info.app;
                apps.receiver = m_receivers[key];
                m_ctx->streams.push_back(apps);
                info.session.streamId = nextStream++;
                info.session.from = m_s.nodes[t.from].name;
                info.session.to = m_s.nodes[t.to].name;
                info.session.startS =
                    t.startS + t.intervalS * k +
                    (t.startJitterS > 0 ? jitter->GetValue(0, t.startJitterS) : 0.0);
                info.session.bytesRequested = t.bytes;
                info.session.reverseRequested = t.reverseBytes;
                NodeAt(t.from)->AddApplication(info.app);
                info.app->SetStartTime(Seconds(info.session.startS));
                m_senders.push_back(info);
            }
        }
    }

    /// A sender that connects through a SOCKS-like proxy and asks it for the traffic's server.
    void SetSocksClient(SenderInfo& info, const TrafficSpec& t)
    {
        const NodeSpec& proxy = m_s.nodes[*t.viaSocks];
        const bool refused = t.socksRequest == SocksRequestKind::kRefused;
        info.app->SetAttribute(
            "Remote", AddressValue(InetSocketAddress(Ipv4Address(m_plan.FirstAddress(*t.viaSocks)),
                                                     proxy.proxy.port)));
        info.app->SetAttribute(
            "SocksTarget", AddressValue(InetSocketAddress(Ipv4Address(m_plan.FirstAddress(t.to)),
                                                          refused ? kSocksRefusedPort : t.port)));
        const uint32_t kind = t.socksRequest == SocksRequestKind::kBadVersion  ? 1
                              : t.socksRequest == SocksRequestKind::kTruncated ? 2
                                                                               : 0;
        info.app->SetAttribute("SocksRequest", UintegerValue(kind));
        if (t.socksRequest != SocksRequestKind::kConnect)
        {
            // A malformed request gets "general failure", a refused onward connection
            // "connection refused"; either way no stream.
            info.session.socksExpected =
                int(refused ? SocksStatus::kConnectionRefused : SocksStatus::kGeneralFailure);
        }
    }

    void EnableCaptures()
    {
        if (m_options.pcap)
        {
            m_p2p.EnablePcapAll(m_options.outDir + "/pcap/" + m_s.name);
        }
#ifdef DYSCO_WITH_CHECKER
        if (m_options.trace)
        {
            m_trace = std::make_unique<TraceRecorder>(*m_ctx, TracePath(m_options.outDir));
            m_trace->Install();
        }
#endif
    }

    /// Ends the trace at the stop time, before the simulator is torn down.
    void FinishTrace()
    {
#ifdef DYSCO_WITH_CHECKER
        if (m_trace && !m_trace->Finish())
        {
            throw std::runtime_error(m_trace->Error());
        }
#endif
    }

    /// Sender counts plus the receiver record with the same stream id; receiver
    /// connections no sender accounts for become strayStreams.
    void CollectSessions(RunResult* r)
    {
        std::map<uint64_t, size_t> byStream;
        for (size_t i = 0; i < m_senders.size(); ++i)
        {
            SessionResult& out = m_senders[i].session;
            Ptr<DyscoStreamSender> app = m_senders[i].app;
            out.bytesWritten = app->GetBytesWritten();
            out.reverseDelivered = app->GetReverseBytesReceived();
            out.reverseMismatch = app->GetReverseFirstMismatch();
            out.clientClosed = app->IsPeerClosed();
            out.clientReset = app->IsReset();
            out.socksStatus = app->GetSocksStatus();
            out.cutShort = app->WasCutShort();
            out.connectS = app->GetConnectTime().IsStrictlyPositive()
                               ? app->GetConnectTime().GetSeconds()
                               : -1;
            out.clientCloseS =
                app->GetCloseTime().IsStrictlyPositive() ? app->GetCloseTime().GetSeconds() : -1;
            if (const StreamApps* st = m_ctx->Stream(out.streamId))
            {
                out.injected = st->injected;
                out.injectedAtS = st->injectedAtS;
            }
            byStream[out.streamId] = i;
        }
        std::vector<bool> matched(m_senders.size(), false);
        for (const auto& [key, rx] : m_receivers)
        {
            const std::string& host = m_s.nodes[key.first].name;
            for (const auto& rec : rx->GetRecords())
            {
                auto it = rec.idComplete ? byStream.find(rec.streamId) : byStream.end();
                bool known =
                    it != byStream.end() && Serves(m_senders[it->second].session.to, key.first);
                if (known && !matched[it->second])
                {
                    matched[it->second] = true;
                    SessionResult& out = m_senders[it->second].session;
                    out.bytesDelivered = rec.bytesReceived;
                    out.firstMismatch = rec.firstMismatchOffset;
                    out.accepted = true;
                    out.closed = rec.closed;
                    out.reset = rec.error;
                    out.closeTimeS = rec.closed ? rec.closeTime.GetSeconds() : -1;
                    out.reverseWritten = rec.reverseWritten;
                    out.cutShort = out.cutShort || rec.cutShort;
                }
                else if (rec.idComplete || rec.bytesReceived > 0)
                {
                    std::string what =
                        !rec.idComplete
                            ? std::string("whose stream id never arrived")
                            : "with stream id " + std::to_string(rec.streamId) +
                                  (known ? " a second time" : ", which no sender to it has");
                    r->strayStreams.push_back(
                        "receiver " + host + ":" + std::to_string(key.second) +
                        " accepted a connection " + what + " (" +
                        std::to_string(rec.bytesReceived) + " content bytes)");
                }
            }
        }
        for (const auto& info : m_senders)
        {
            r->sessions.push_back(info.session);
        }
    }

    void CollectCounters(RunResult* r)
    {
        for (size_t i = 0; i < m_s.nodes.size(); ++i)
        {
            Ptr<DyscoAgent> agent = DyscoHelper::GetAgent(NodeAt(i));
            AgentResult a;
            a.node = m_s.nodes[i].name;
            a.sessionsLeft = agent->GetSessionCount();
            a.counters = CounterMap(agent->GetCounters());
            a.counters["binding_drops"] = agent->GetDropCount();
            a.counters["reroutes"] = agent->GetRerouteCount();
            r->agents.push_back(a);
        }
        for (const auto& [node, nsh] : m_nsh)
        {
            MiddleboxResult m;
            m.node = m_s.nodes[node].name;
            m.kind = "nsh";
            m.counters = {{"encapsulated", nsh->GetEncapsulated()},
                          {"decapsulated", nsh->GetDecapsulated()},
                          {"processed", nsh->GetProcessed()}};
            r->middleboxes.push_back(m);
        }
        for (const auto& [node, monitor] : m_monitors)
        {
            MiddleboxResult m;
            m.node = m_s.nodes[node].name;
            m.kind = ToString(MiddleboxKind::kMonitor);
            uint64_t packets = 0;
            uint64_t bytes = 0;
            for (const auto& st : monitor->GetAllStats())
            {
                packets += st.packetsForward + st.packetsReverse;
                bytes += st.bytesForward + st.bytesReverse;
            }
            m.counters = {{"sessions", monitor->GetSessionCount()},
                          {"packets", packets},
                          {"payload_bytes", bytes}};
            r->middleboxes.push_back(m);
        }
        for (const auto& [node, box] : m_ctx->statefulBoxes)
        {
            MiddleboxResult m;
            m.node = m_s.nodes[node].name;
            m.kind = ToString(m_s.nodes[node].middlebox);
            m.counters = StatefulCounters(box);
            r->middleboxes.push_back(m);
        }
        for (const auto& [node, box] : m_classifiers)
        {
            r->middleboxes.push_back(ClassifierResult(m_s.nodes[node], *box));
        }
        for (const auto& [node, box] : m_ctx->seqOffsets)
        {
            MiddleboxResult m;
            m.node = m_s.nodes[node].name;
            m.kind = ToString(MiddleboxKind::kSeqOffset);
            uint64_t packets = 0;
            uint64_t wrapped[2] = {0, 0};
            auto all = box->GetAllStats();
            for (const auto& st : all)
            {
                packets += st.packets[0] + st.packets[1];
                for (int d = 0; d < 2; ++d)
                {
                    wrapped[d] += st.wrapTime[d].IsNegative() ? 0 : 1;
                }
            }
            m.counters = {{"sessions", all.size()},
                          {"packets", packets},
                          {"wrapped_client_to_server", wrapped[0]},
                          {"wrapped_server_to_client", wrapped[1]}};
            r->middleboxes.push_back(m);
        }
    }

    /// True if host `host` accepts the sessions addressed to node `to`.
    bool Serves(const std::string& to, size_t host) const
    {
        auto node = m_s.FindNode(to);
        const std::vector<size_t> hosts = node ? ServingHosts(m_s, *node) : std::vector<size_t>{};
        return std::find(hosts.begin(), hosts.end(), host) != hosts.end();
    }

    void CollectProxies(RunResult* r)
    {
        for (const auto& b : m_beamers)
        {
            r->middleboxes.push_back(BeamerResult(m_s, *b));
        }
        for (const auto& [node, proxy] : m_proxies)
        {
            r->middleboxes.push_back(
                ProxyResult(m_s.nodes[node].name, m_s.nodes[node].middlebox, proxy));
        }
    }

    void CollectFailures(RunResult* r)
    {
        if (m_lossModels.empty() && m_s.injections.empty())
        {
            return;
        }
        uint64_t dropped[3] = {0, 0, 0};
        for (const auto& model : m_lossModels)
        {
            dropped[0] += model->GetDropped(DyscoSelectiveLoss::CONTROL);
            dropped[1] += model->GetDropped(DyscoSelectiveLoss::DATA);
            dropped[2] += model->GetDropped(DyscoSelectiveLoss::ALL);
        }
        r->failures = {{"control_dropped", dropped[0]},
                       {"data_dropped", dropped[1]},
                       {"other_dropped", dropped[2]},
                       {"injections_fired", m_injector->Fired()}};
        if (m_attacker && m_attacker->Sent() != 0)
        {
            r->failures["attack_packets"] = m_attacker->Sent();
        }
    }

    const Scenario& m_s;
    const RunOptions& m_options;
    const AddressPlan m_plan;
    NodeContainer m_nodes;
    PointToPointHelper m_p2p; ///< kept for EnablePcapAll after every link exists
    std::vector<std::pair<size_t, Ptr<DyscoMonitor>>> m_monitors;
    std::vector<std::pair<size_t, Ptr<DyscoProxy>>> m_proxies;
    std::vector<std::pair<size_t, Ptr<DyscoClassifier>>> m_classifiers;
    std::vector<std::shared_ptr<BeamerInstance>> m_beamers;
    std::vector<std::pair<size_t, Ptr<NshChaining>>> m_nsh;
    std::vector<GoodputSample> m_goodput;
    std::map<std::pair<size_t, uint16_t>, Ptr<DyscoStreamReceiver>> m_receivers;
    std::vector<SenderInfo> m_senders;
#ifdef DYSCO_WITH_CHECKER
    std::unique_ptr<TraceRecorder> m_trace;
#endif
    std::unique_ptr<RunContext> m_ctx;
    std::unique_ptr<ReconfigDriver> m_driver;
    std::unique_ptr<PolicyServerRun> m_policyServer;
    std::unique_ptr<Attacker> m_attacker;
    std::unique_ptr<CloseInjector> m_injector;
    std::unique_ptr<ReorderCounter> m_reorder;
    std::vector<Ptr<DyscoSelectiveLoss>> m_lossModels;
    int64_t m_lossStreams = 0;
};

} // namespace

std::string
TracePath(const std::string& outDir)
{
    return outDir + "/trace.txt";
}

RunResult
RunScenario(const Scenario& s, const RunOptions& options)
{
    return Simulation(s, options).Run();
}

} // namespace dyscosim
