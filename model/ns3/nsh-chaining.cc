#include "nsh-chaining.h"

#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "nsh-header.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NshChaining");
NS_OBJECT_ENSURE_REGISTERED(NshChaining);

namespace
{
constexpr uint8_t kTcp = 6;
} // namespace

TypeId
NshChaining::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NshChaining")
                            .SetParent<Ipv4RoutingProtocol>()
                            .SetGroupName("Dysco")
                            .AddConstructor<NshChaining>();
    return tid;
}

NshChaining::NshChaining() = default;

Ptr<NshChaining>
NshChaining::Install(Ptr<Node> node, Role role, Time functionCost, uint8_t functions)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    NS_ABORT_MSG_IF(!ipv4, "NshChaining: node " << node->GetId() << " has no IPv4 stack");
    Ptr<Ipv4ListRouting> list = DynamicCast<Ipv4ListRouting>(ipv4->GetRoutingProtocol());
    NS_ABORT_MSG_IF(!list, "NshChaining: node " << node->GetId() << " has no list routing");
    Ptr<NshChaining> nsh = CreateObject<NshChaining>();
    nsh->m_role = role;
    nsh->m_functionCost = functionCost;
    nsh->m_functions = functions;
    list->AddRoutingProtocol(nsh, 100); // above static (0) and global (-10) routing
    return nsh;
}

void
NshChaining::SetIpv4(Ptr<Ipv4> ipv4)
{
    m_ipv4 = ipv4;
}

void
NshChaining::DoDispose()
{
    m_ipv4 = nullptr;
    Ipv4RoutingProtocol::DoDispose();
}

Ptr<Ipv4Route>
NshChaining::RouteOutput(Ptr<Packet> /* p */, const Ipv4Header& /* header */,
                         Ptr<NetDevice> /* oif */, Socket::SocketErrno& sockerr)
{
    sockerr = Socket::ERROR_NOROUTETOHOST; // locally sent packets are not chained here
    return nullptr;
}

bool
NshChaining::Forward(Ptr<Packet> p, const Ipv4Header& h, UnicastForwardCallback ucb)
{
    Socket::SocketErrno err;
    // The list routing asks us first (we decline), then the protocols below us.
    Ptr<Ipv4Route> route = m_ipv4->GetRoutingProtocol()->RouteOutput(p, h, nullptr, err);
    if (!route)
    {
        NS_LOG_WARN("no route to " << h.GetDestination() << "; dropping");
        return false;
    }
    ucb(route, p, h);
    return true;
}

bool
NshChaining::RouteInput(Ptr<const Packet> p, const Ipv4Header& header,
                        Ptr<const NetDevice> /* idev */, UnicastForwardCallback ucb,
                        MulticastForwardCallback /* mcb */, LocalDeliverCallback /* lcb */,
                        ErrorCallback /* ecb */)
{
    const uint8_t proto = header.GetProtocol();
    if (proto != NshHeader::kIpProtocol && !(m_role == EDGE && proto == kTcp))
    {
        return false; // not ours: ordinary routing forwards it
    }
    Ptr<Packet> q = p->Copy();
    Ipv4Header h = header;
    if (proto == kTcp) // classifier: into the chain
    {
        NshHeader nsh;
        nsh.m_spi = m_spi;
        nsh.m_si = m_functions;
        nsh.m_innerProtocol = kTcp;
        q->AddHeader(nsh);
        h.SetProtocol(NshHeader::kIpProtocol);
        h.SetPayloadSize(q->GetSize());
        ++m_encapsulated;
        Forward(q, h, ucb);
        return true;
    }
    NshHeader nsh;
    q->RemoveHeader(nsh);
    h.SetProtocol(nsh.m_innerProtocol);
    h.SetPayloadSize(q->GetSize());
    if (m_role == EDGE) // the chain's end: on to the destination as sent
    {
        ++m_decapsulated;
        Forward(q, h, ucb);
        return true;
    }
    // A service function: decapsulated, processed, re-encapsulated for the next one.
    ++m_processed;
    nsh.m_si = nsh.m_si > 0 ? uint8_t(nsh.m_si - 1) : 0;
    q->AddHeader(nsh);
    h.SetProtocol(NshHeader::kIpProtocol);
    h.SetPayloadSize(q->GetSize());
    Simulator::Schedule(m_functionCost, [this, q, h, ucb]() { Forward(q, h, ucb); });
    return true;
}

void
NshChaining::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit /* unit */) const
{
    *stream->GetStream() << "NshChaining role=" << (m_role == EDGE ? "edge" : "function")
                         << " cost=" << m_functionCost.As(Time::US) << "\n";
}

} // namespace ns3
