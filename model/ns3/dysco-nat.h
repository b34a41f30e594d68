// A source NAT (a packet middlebox that changes the five-tuple, like iptables MASQUERADE):
// the first SYN of a session from the inside prefix gets an outside (address, port); every
// packet of the session is rewritten to it on the way out and back on the way in. Inside a
// Dysco middlebox host the agent follows the change through the SYN's option-253 tag (the
// header leaving the box becomes the session's right-side header); on a plain router between
// two agents it rewrites the subsession and replies come to its own address (§2.3).
#ifndef DYSCO_NAT_H
#define DYSCO_NAT_H

#include "core/policy.h"
#include "dysco-stateful-middlebox.h"
#include "ns3/ipv4-address.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace ns3
{

/// One translated session: inside client -> server, and the outside (address, port).
struct DyscoNatFlow
{
    dysco::FiveTuple inside;
    uint32_t outsideIp = 0;
    uint16_t outsidePort = 0;

    dysco::FiveTuple Outside() const
    {
        return dysco::FiveTuple{outsideIp, inside.dstIp, outsidePort, inside.dstPort,
                                inside.protocol};
    }
};

class DyscoNat : public DyscoStatefulMiddlebox
{
public:
    static TypeId GetTypeId();
    DyscoNat();

    /// Sessions whose client is in `inside` are translated (default: every session).
    void SetInside(const dysco::Prefix& inside) { m_inside = inside; }
    /// The outside address; unset (0.0.0.0): the node's first address, found with the first
    /// packet.
    void SetExternalAddress(Ipv4Address a) { m_external = a.Get(); }

    bool Process(std::vector<uint8_t>& packet, Ptr<NetDevice> inDevice) override;
    bool SeesLocalPackets() const override { return true; }
    std::string ExportState(const dysco::FiveTuple& session) const override;
    bool ImportState(const std::string& text, std::string* error) override;
    dysco::FiveTuple Translate(const dysco::FiveTuple& session) const override;
    bool NeedsStateBeforeNewPath() const override { return true; }

    /// The flow of a session, by its inside or outside tuple (either orientation).
    bool GetFlow(const dysco::FiveTuple& t, DyscoNatFlow* out) const;
    size_t GetFlowCount() const { return m_out.size(); }
    uint64_t GetTranslatedCount() const { return m_translated; }
    uint64_t GetExhaustedCount() const { return m_exhausted; }
    uint64_t GetImportedCount() const { return m_imported; }

    /// Tuple before and after a translation.
    typedef void (*RewriteTracedCallback)(const dysco::FiveTuple& before,
                                          const dysco::FiveTuple& after);

protected:
    /// Chooses the outside (address, port) of a new session; false if none is free.
    virtual bool Allocate(const dysco::FiveTuple& inside, uint32_t* ip, uint16_t* port);
    /// The state document's kind ("nat"; "cgnat" adds its port blocks).
    virtual const char* Kind() const { return "nat"; }
    bool PortInUse(uint32_t ip, uint16_t port) const;
    /// Checks and parses the "flows" of a state document (nothing installed); false with
    /// *error on a problem.
    bool ParseFlows(const void* doc, std::vector<DyscoNatFlow>* flows, std::string* error) const;
    /// Installs a flow; false if its outside (address, port) belongs to another session.
    bool InstallFlow(const DyscoNatFlow& f);
    std::string FlowsJson(const dysco::FiveTuple& session) const;

    uint32_t m_external = 0;
    uint16_t m_firstPort = 30000;
    uint16_t m_lastPort = 39999;

private:
    void Rewrite(std::vector<uint8_t>& packet, const dysco::FiveTuple& before,
                 const dysco::FiveTuple& after);

    dysco::Prefix m_inside;
    uint32_t m_cursor = 0;
    std::unordered_map<dysco::FiveTuple, DyscoNatFlow, dysco::FiveTupleHasher> m_out; ///< inside
    std::unordered_map<dysco::FiveTuple, dysco::FiveTuple, dysco::FiveTupleHasher>
        m_in;                             ///< outside tuple, server -> outside, to the inside tuple
    std::unordered_set<uint64_t> m_ports; ///< (outside ip, port) in use
    uint64_t m_translated = 0;
    uint64_t m_exhausted = 0;
    uint64_t m_imported = 0;
    TracedCallback<const dysco::FiveTuple&, const dysco::FiveTuple&> m_rewriteTrace;
};

} // namespace ns3

#endif
