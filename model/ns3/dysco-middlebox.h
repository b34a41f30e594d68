// Packet middleboxes (the paper's netfilter/libpcap kind): a function the node applies to
// every IPv4 packet it forwards, after the Dysco agent restored the session's own header
// and before routing. Concrete middleboxes (monitor, firewall, NAT, ...) derive from this.
#ifndef DYSCO_MIDDLEBOX_H
#define DYSCO_MIDDLEBOX_H

#include "core/agent.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace ns3
{

class DyscoMiddlebox : public Object
{
public:
    static TypeId GetTypeId();
    ~DyscoMiddlebox() override;

    /**
     * Inspects, and may rewrite, one forwarded packet.
     *
     * \param packet the IPv4 packet from its header, in the same form the agent core gets it:
     *        the whole packet when the TCP SYN flag is set or WantsPayload asked for it,
     *        otherwise at least the IPv4 and TCP headers (the payload length follows from the
     *        IPv4 total length). The headers may be rewritten in place (dysco::PacketView
     *        keeps checksums right); only SYNs may change length, and only a SYN's payload.
     * \param inDevice the device the packet arrived on.
     * \return false to drop the packet (counted by the node's DyscoAgent).
     */
    virtual bool Process(std::vector<uint8_t>& packet, Ptr<NetDevice> inDevice) = 0;

    /// True if Process should get `packet` (its headers, as above) with its payload: for boxes
    /// that read content (the classifier), and only for the packets they need, since copying
    /// every payload would cost every forwarded packet. Default: never.
    virtual bool WantsPayload(const std::vector<uint8_t>& /* packet */) { return false; }

    /// True if the box also sees arriving packets addressed to this node (a NAT: replies
    /// come to its external address and leave toward the inside once translated back).
    virtual bool SeesLocalPackets() const { return false; }

    /**
     * Session-terminating middleboxes (model/ns3/dysco-proxy-nat.h) sit between the node's
     * own TCP stack and the agent: they see every IPv4 packet before the agent does (egress:
     * as the stack sent it; ingress: the wire header) and may rewrite it. Returns false to
     * drop the packet. Default: nothing.
     */
    virtual bool BeforeAgent(dysco::Direction /* dir */, std::vector<uint8_t>& /* packet */)
    {
        return true;
    }

    /// How long this node's processing holds an arriving packet addressed to it (after
    /// Process) before its stack gets it: a model of the host's CPU cost. Default: none.
    virtual Time LocalDelay(const std::vector<uint8_t>& /* packet */) { return Time(0); }
    /// False to drop an arriving packet addressed to this node (after Process) before its
    /// stack sees it. Default: every packet is accepted.
    virtual bool AcceptLocal(const std::vector<uint8_t>& /* packet */) { return true; }

protected:
    /// A view of a forwarded packet's IPv4 and TCP headers, or nothing if it is not TCP or
    /// does not parse: boxes pass such packets on untouched (the agent drops what it cannot
    /// parse).
    static std::optional<dysco::PacketView> ParseTcp(std::vector<uint8_t>& packet);
};

} // namespace ns3

#endif
