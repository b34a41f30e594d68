// A stateless load balancer in the style of Beamer (reference doc 003 §5.4), as a packet
// middlebox on the router that owns the virtual IP (VIP).
//
// How it fits Dysco: the mux is not a hop of any Dysco chain. It rewrites the destination
// of packets addressed to the VIP to the backend its bucket table names (and the source of
// the backends' replies back to the VIP), so the backend is the server end of the session:
// the chain, if the client has one, ends at the VIP and the mux picks which host that is
// (it then hashes the chain's last subsession header), like a destination NAT whose
// translation is a pure function of the five-tuple and the table. Nothing per session is kept or
// learnt: a packet's fate depends on its header and the bucket table only, so the mux survives SYN
// floods and can be replicated freely.
//
// Daisy chaining (§5.4.2) happens at the backends (DyscoBeamerDaisy): when buckets move
// (BeamerBucketTable::Move), the new backend serves new sessions of the bucket and passes
// packets of sessions it does not know to the bucket's previous backend. Beamer's mux
// writes the previous backend into each packet's encapsulation header; here the backends
// read the same table entry instead (the simulated packets keep their length), which is
// the information that header would carry.
#ifndef DYSCO_BEAMER_MUX_H
#define DYSCO_BEAMER_MUX_H

#include "beamer-bucket-table.h"
#include "dysco-middlebox.h"
#include "ns3/traced-callback.h"

#include <memory>

namespace ns3
{

class DyscoBeamerMux : public DyscoMiddlebox
{
public:
    static TypeId GetTypeId();

    void SetTable(std::shared_ptr<BeamerBucketTable> table) { m_table = std::move(table); }
    const BeamerBucketTable& GetTable() const { return *m_table; }

    bool Process(std::vector<uint8_t>& packet, Ptr<NetDevice> inDevice) override;
    bool SeesLocalPackets() const override { return true; } // the VIP is the node's address

    uint64_t GetSteeredCount() const { return m_steered; }
    uint64_t GetRepliesCount() const { return m_replies; }

    /// Tuple before and after the VIP was replaced by a backend (client -> server packets).
    typedef void (*RewriteTracedCallback)(const dysco::FiveTuple& before,
                                          const dysco::FiveTuple& after);

private:
    std::shared_ptr<BeamerBucketTable> m_table;
    uint64_t m_steered = 0;
    uint64_t m_replies = 0;
    TracedCallback<const dysco::FiveTuple&, const dysco::FiveTuple&> m_rewriteTrace;
};

} // namespace ns3

#endif
