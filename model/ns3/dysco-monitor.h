// The first packet middlebox: counts packets and TCP payload bytes per session. Because the
// agent presents the session's own header, one monitor entry covers a session no matter
// which subsessions carry it.
#ifndef DYSCO_MONITOR_H
#define DYSCO_MONITOR_H

#include "core/five_tuple.h"
#include "dysco-middlebox.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <unordered_map>
#include <vector>

namespace ns3
{

/// Counters of one session, oriented as its first packet (normally the client's SYN).
struct DyscoMonitorStats
{
    dysco::FiveTuple session;
    uint64_t packetsForward = 0; ///< in the session's orientation (client to server)
    uint64_t packetsReverse = 0;
    uint64_t bytesForward = 0; ///< TCP payload bytes
    uint64_t bytesReverse = 0;
    Time firstSeen;
    Time lastSeen;
};

class DyscoMonitor : public DyscoMiddlebox
{
public:
    static TypeId GetTypeId();
    DyscoMonitor();

    bool Process(std::vector<uint8_t>& packet, Ptr<NetDevice> inDevice) override;

    /// Stats of the session with tuple `t` in either orientation; false if never seen.
    bool GetStats(const dysco::FiveTuple& t, DyscoMonitorStats* out) const;
    std::vector<DyscoMonitorStats> GetAllStats() const;
    size_t GetSessionCount() const { return m_stats.size(); }
    void Reset() { m_stats.clear(); }

    /// Fired per counted packet: session tuple, true if client to server, payload bytes.
    typedef void (*CountTracedCallback)(const dysco::FiveTuple& session, bool forward,
                                        uint32_t payloadBytes);

private:
    std::unordered_map<dysco::FiveTuple, DyscoMonitorStats, dysco::FiveTupleHasher> m_stats;
    TracedCallback<const dysco::FiveTuple&, bool, uint32_t> m_countTrace;
};

} // namespace ns3

#endif
