// The backend side of Beamer's daisy chaining (reference doc 003 §5.4.2), as a packet
// middlebox on each backend host that sees the packets addressed to it before its TCP
// stack does. A packet is the backend's own if it opens a session (SYN) or belongs to one
// the backend accepted (its connection table, which the backend keeps anyway); any other
// packet of a bucket that moved here is sent on to the bucket's previous backend, which
// still holds that session. This is how sessions older than a bucket move survive it while
// the mux stays stateless (model/ns3/dysco-beamer-mux.h).
#ifndef DYSCO_BEAMER_DAISY_H
#define DYSCO_BEAMER_DAISY_H

#include "beamer-bucket-table.h"
#include "dysco-middlebox.h"
#include "ns3/traced-callback.h"

#include <memory>
#include <unordered_set>

namespace ns3
{

class DyscoBeamerDaisy : public DyscoMiddlebox
{
public:
    static TypeId GetTypeId();

    /// The shared bucket table and this backend's index in it.
    void SetTable(std::shared_ptr<const BeamerBucketTable> table, int self)
    {
        m_table = std::move(table);
        m_self = self;
    }

    /// Off: packets of unknown sessions go to the local stack (which resets them), the
    /// behaviour of a stateless balancer without daisy chaining.
    void SetDaisyChaining(bool on) { m_daisyChaining = on; }

    bool Process(std::vector<uint8_t>& packet, Ptr<NetDevice> inDevice) override;
    bool SeesLocalPackets() const override { return true; }

    /// Sessions this backend accepted (its connection table).
    size_t GetSessionCount() const { return m_sessions.size(); }
    /// Packets passed on to a bucket's previous backend.
    uint64_t GetDaisyForwardedCount() const { return m_forwarded; }

private:
    std::shared_ptr<const BeamerBucketTable> m_table;
    int m_self = BeamerBucketTable::kNone;
    /// Client-side headers (addressed to the VIP) of the sessions accepted here.
    std::unordered_set<dysco::FiveTuple, dysco::FiveTupleHasher> m_sessions;
    bool m_daisyChaining = true;
    uint64_t m_forwarded = 0;
    TracedCallback<const dysco::FiveTuple&, const dysco::FiveTuple&> m_rewriteTrace;
};

} // namespace ns3

#endif
