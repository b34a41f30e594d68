#include "runner.h"

#include "address_plan.h"
#include "ns3/core-module.h"
#include "ns3/dysco-helper.h"
#include "ns3/dysco-monitor.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/stream-receiver.h"
#include "ns3/stream-sender.h"
#include "progress.h"

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
    return {{"packets", c.packets},
            {"rewritten", c.rewritten},
            {"passed", c.passed},
            {"dropped", c.dropped},
            {"malformed", c.malformed},
            {"bad_syn_payload", c.badSynPayload},
            {"bad_tag", c.badTag},
            {"ports_exhausted", c.portsExhausted},
            {"table_full", c.tableFull},
            {"sessions_created", c.sessionsCreated},
            {"sessions_freed", c.sessionsFreed}};
}

/// Agent protocol events as CSV lines (--trace), until the checker's trace format exists.
class EventCsv
{
public:
    explicit EventCsv(const std::string& path)
        : m_out(path)
    {
        if (!m_out)
        {
            throw std::runtime_error("cannot write " + path);
        }
        m_out << "time_ns,node,event,session,subsession,detail\n";
    }

    void Attach(Ptr<DyscoAgent> agent, const std::string& node)
    {
        m_nodes.push_back(std::make_unique<Sink>(Sink{this, node}));
        agent->TraceConnectWithoutContext(
            "AgentEvent", MakeBoundCallback(&EventCsv::Write, m_nodes.back().get()));
    }

private:
    struct Sink
    {
        EventCsv* csv;
        std::string node;
    };

    static void Write(Sink* sink, const dysco::AgentEvent& e)
    {
        sink->csv->m_out << e.timeNs << "," << sink->node << "," << dysco::ToString(e.kind) << ","
                         << e.session.ToString() << "," << e.subsession.ToString() << ","
                         << e.detail << "\n";
    }

    std::ofstream m_out;
    std::vector<std::unique_ptr<Sink>> m_nodes;
};

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
        InstallTraffic();
        EnableCaptures();

        Progress progress(std::cerr, m_s.durationS, Progress::IsTerminal(2));
        if (m_options.progress)
        {
            Time step = Seconds(m_s.durationS / 200);
            Simulator::Schedule(step, &ProgressTick, &progress, wallStart, step);
        }
        Simulator::Stop(Seconds(m_s.durationS));
        Simulator::Run();

        RunResult r;
        r.scenario = m_s.name;
        r.seed = m_s.seed;
        r.quick = m_options.quick;
        r.simTimeS = Simulator::Now().GetSeconds();
        CollectSessions(&r);
        CollectCounters(&r);

        m_senders.clear();
        m_receivers.clear();
        m_monitors.clear();
        Simulator::Destroy();
        Names::Clear();
        m_trace.reset();
        r.wallTimeS = SecondsSince(wallStart);
        if (m_options.progress)
        {
            progress.Finish(r.simTimeS, r.wallTimeS);
        }
        return r;
    }

private:
    Ptr<Node> NodeAt(size_t i) const { return m_nodes.Get(uint32_t(i)); }

    /// Nodes, the Dysco stack, links with loss, addresses per AddressPlan, routes.
    void BuildNetwork()
    {
        m_nodes.Create(uint32_t(m_s.nodes.size()));
        for (size_t i = 0; i < m_s.nodes.size(); ++i)
        {
            Names::Add(m_s.nodes[i].name, NodeAt(i)); // pcap files carry node names
        }
        DyscoHelper dysco;
        dysco.InstallStack(m_nodes); // before addresses: Assign wires in its TC layer

        Ipv4AddressHelper addresses;
        int64_t lossStream = 0;
        for (size_t i = 0; i < m_s.links.size(); ++i)
        {
            const LinkSpec& l = m_s.links[i];
            m_p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(l.rateBps)));
            m_p2p.SetChannelAttribute("Delay", TimeValue(NanoSeconds(int64_t(l.delayNs))));
            NetDeviceContainer devices = m_p2p.Install(NodeAt(l.a), NodeAt(l.b));
            if (l.loss > 0)
            {
                AddLoss(devices.Get(0), l.loss, lossStream++);
                AddLoss(devices.Get(1), l.loss, lossStream++);
            }
            addresses.SetBase(Ipv4Address(AddressPlan::LinkSubnet(i)),
                              Ipv4Mask(AddressPlan::kLinkMask));
            addresses.Assign(devices); // a gets .1, b gets .2, as AddressPlan says
        }
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    }

    /// Middlebox functions and policies (node names resolved to first addresses).
    void InstallFunctions()
    {
        for (size_t i = 0; i < m_s.nodes.size(); ++i)
        {
            if (m_s.nodes[i].middlebox == MiddleboxKind::kMonitor)
            {
                Ptr<DyscoMonitor> monitor = CreateObject<DyscoMonitor>();
                DyscoHelper::SetMiddlebox(NodeAt(i), monitor);
                m_monitors.emplace_back(i, monitor);
            }
        }
        for (const auto& np : ResolvePolicies(m_s, m_plan))
        {
            DyscoHelper::AddPolicy(NodeAt(np.node), np.policy);
        }
    }

    /// One receiver per (host, port); every session is one sender with its own stream id.
    void InstallTraffic()
    {
        uint64_t nextStream = 1;
        for (const auto& t : m_s.traffic)
        {
            auto key = std::make_pair(t.to, t.port);
            if (!m_receivers.count(key))
            {
                Ptr<DyscoStreamReceiver> rx = CreateObject<DyscoStreamReceiver>();
                rx->SetAttribute("Local",
                                 AddressValue(InetSocketAddress(Ipv4Address::GetAny(), t.port)));
                NodeAt(t.to)->AddApplication(rx);
                rx->SetStartTime(Seconds(0));
                m_receivers[key] = rx;
            }
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
                info.session.streamId = nextStream++;
                info.session.from = m_s.nodes[t.from].name;
                info.session.to = m_s.nodes[t.to].name;
                info.session.startS = t.startS + t.intervalS * k;
                info.session.bytesRequested = t.bytes;
                NodeAt(t.from)->AddApplication(info.app);
                info.app->SetStartTime(Seconds(info.session.startS));
                m_senders.push_back(info);
            }
        }
    }

    void EnableCaptures()
    {
        if (m_options.pcap)
        {
            m_p2p.EnablePcapAll(m_options.outDir + "/pcap/" + m_s.name);
        }
        if (m_options.trace)
        {
            m_trace = std::make_unique<EventCsv>(m_options.outDir + "/trace.csv");
            for (size_t i = 0; i < m_s.nodes.size(); ++i)
            {
                m_trace->Attach(DyscoHelper::GetAgent(NodeAt(i)), m_s.nodes[i].name);
            }
        }
    }

    /// Sender counts plus the receiver record with the same stream id; receiver
    /// connections no sender accounts for become strayStreams.
    void CollectSessions(RunResult* r)
    {
        std::map<uint64_t, size_t> byStream;
        for (size_t i = 0; i < m_senders.size(); ++i)
        {
            m_senders[i].session.bytesWritten = m_senders[i].app->GetBytesWritten();
            byStream[m_senders[i].session.streamId] = i;
        }
        std::vector<bool> matched(m_senders.size(), false);
        for (const auto& [key, rx] : m_receivers)
        {
            const std::string& host = m_s.nodes[key.first].name;
            for (const auto& rec : rx->GetRecords())
            {
                auto it = rec.idComplete ? byStream.find(rec.streamId) : byStream.end();
                bool known = it != byStream.end() && m_senders[it->second].session.to == host;
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
    }

    const Scenario& m_s;
    const RunOptions& m_options;
    const AddressPlan m_plan;
    NodeContainer m_nodes;
    PointToPointHelper m_p2p; ///< kept for EnablePcapAll after every link exists
    std::vector<std::pair<size_t, Ptr<DyscoMonitor>>> m_monitors;
    std::map<std::pair<size_t, uint16_t>, Ptr<DyscoStreamReceiver>> m_receivers;
    std::vector<SenderInfo> m_senders;
    std::unique_ptr<EventCsv> m_trace;
};

} // namespace

RunResult
RunScenario(const Scenario& s, const RunOptions& options)
{
    return Simulation(s, options).Run();
}

} // namespace dyscosim
