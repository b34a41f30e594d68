#include "proxy_install.h"

#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/dysco-content-modifier.h"
#include "ns3/dysco-socks-proxy.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/simulator.h"
#include "ns3/stream-pattern.h"
#include "ns3/uinteger.h"

namespace dyscosim
{

using namespace ns3;

Ptr<DyscoProxy>
InstallProxy(Ptr<Node> node, const NodeSpec& n, int64_t stream)
{
    const ProxySpec& p = n.proxy;
    Ptr<DyscoProxy> proxy;
    if (n.middlebox == MiddleboxKind::kSocks)
    {
        proxy = CreateObject<DyscoSocksProxy>();
    }
    else if (n.middlebox == MiddleboxKind::kContentModifier)
    {
        proxy = CreateObjectWithAttributes<DyscoContentModifier>(
            "Offset", UintegerValue(n.edit.offset + kStreamIdHeaderSize), "Insert",
            UintegerValue(n.edit.insert), "Remove", UintegerValue(n.edit.remove));
    }
    else
    {
        proxy = CreateObject<DyscoProxy>();
    }
    proxy->SetAttribute("SpliceAfterBytes", UintegerValue(p.spliceAfterBytes));
    proxy->SetAttribute("SpliceAfter", TimeValue(Seconds(p.spliceAfterS)));
    proxy->SetAttribute("RcvBufSize", UintegerValue(p.rcvBufBytes));
    proxy->SetAttribute("SndBufSize", UintegerValue(p.sndBufBytes));
    proxy->SetAttribute("RelayRate", DataRateValue(DataRate(p.relayRateBps)));
    proxy->Install(node);
    for (const auto& [at, port] : p.spliceAt)
    {
        Simulator::Schedule(Seconds(at), &DyscoProxy::SpliceSessionsToPort, proxy, port);
    }
    Ptr<DyscoProxyNat> nat = proxy->GetNat();
    nat->SetAttribute("ListenPort", UintegerValue(p.port));
    nat->SetExplicit(n.middlebox == MiddleboxKind::kSocks);
    nat->SetAttribute("RandomIsn", BooleanValue(p.randomIsn));
    nat->SetAttribute("RightIsn", UintegerValue(p.isn[0]));
    nat->SetAttribute("LeftIsn", UintegerValue(p.isn[1]));
    nat->AssignStreams(stream);
    return proxy;
}

MiddleboxResult
ProxyResult(const std::string& node, MiddleboxKind kind, Ptr<DyscoProxy> proxy)
{
    MiddleboxResult m;
    m.node = node;
    m.kind = ToString(kind);
    uint64_t relayed[2] = {0, 0};
    uint64_t ops = 0;
    uint64_t atRequest = 0;
    uint64_t requested = 0;
    uint64_t spliced = 0;
    uint64_t afterBytes = 0;
    uint64_t afterOps = 0;
    for (const DyscoProxySessionStats& st : proxy->GetAllStats())
    {
        relayed[0] += st.bytesRelayed[0];
        relayed[1] += st.bytesRelayed[1];
        ops += st.relayOps;
        requested += st.spliceRequests > 0 ? 1 : 0;
        atRequest += st.relayedAtRequest[0] + st.relayedAtRequest[1];
        spliced += st.splicedOutAt.IsNegative() ? 0 : 1;
        afterBytes += st.relayedAfterSplice;
        afterOps += st.relayOpsAfterSplice;
    }
    m.counters = {{"sessions", proxy->GetSessionCount()},
                  {"relayed_client_to_server", relayed[0]},
                  {"relayed_server_to_client", relayed[1]},
                  {"relay_ops", ops},
                  {"relay_busy_us", uint64_t(proxy->GetBusyTime().GetMicroSeconds())},
                  {"splice_requested", requested},
                  {"relayed_at_request", atRequest},
                  {"spliced_out", spliced},
                  {"relayed_after_splice", afterBytes},
                  {"relay_ops_after_splice", afterOps},
                  {"dropped_after_splice", proxy->GetNat()->GetDroppedAfterSplice()},
                  {"ack_beyond_sent_dropped", proxy->GetNat()->GetAckBeyondSent()}};
    if (auto socks = DynamicCast<DyscoSocksProxy>(proxy))
    {
        m.counters["socks_connected"] = socks->GetConnected();
        m.counters["socks_refused"] = socks->GetRefused();
        m.counters["socks_malformed"] = socks->GetMalformed();
    }
    return m;
}

} // namespace dyscosim
