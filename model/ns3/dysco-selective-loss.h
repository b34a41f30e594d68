// A receive error model for failure injection that only drops some kinds of packets: Dysco
// control messages (UDP to dysco::kControlPort), TCP segments carrying data, or everything.
// Each rule has its own rate, time window, optional gate (a condition the scenario evaluates,
// e.g. "some reconfiguration is in its two-path phase") and random stream, so several rules
// can share one device (ns-3 allows one ReceiveErrorModel per device).
#ifndef DYSCO_SELECTIVE_LOSS_H
#define DYSCO_SELECTIVE_LOSS_H

#include "ns3/error-model.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace ns3
{

class DyscoSelectiveLoss : public ErrorModel
{
public:
    enum Target
    {
        CONTROL, ///< Dysco control messages (reconfiguration protocol)
        DATA,    ///< TCP segments with payload
        ALL,     ///< every frame (a node that is down)
    };

    struct Rule
    {
        Target target = ALL;
        double rate = 0;            ///< drop probability while active
        Time from;                  ///< active from ...
        Time until = Time(-1);      ///< ... until (negative: to the end)
        std::function<bool()> gate; ///< if set, also active only while it returns true
    };

    static TypeId GetTypeId();
    DyscoSelectiveLoss();

    /// Bytes of link-layer header before the IPv4 header (2 for ns-3's PPP).
    void SetLinkHeaderSize(uint32_t bytes) { m_linkHeader = bytes; }
    /// Adds a rule drawing from random stream `stream`.
    void AddRule(const Rule& rule, int64_t stream);

    /// Frames examined while some rule was active, and frames dropped, per target.
    uint64_t GetDropped(Target target) const { return m_dropped[target]; }
    uint64_t GetExamined(Target target) const { return m_examined[target]; }

private:
    bool DoCorrupt(Ptr<Packet> p) override;
    void DoReset() override {}
    /// Which targets a frame belongs to (bit per Target).
    uint32_t Classify(Ptr<const Packet> p) const;

    struct ActiveRule
    {
        Rule rule;
        Ptr<UniformRandomVariable> rng;
    };

    uint32_t m_linkHeader = 2;
    std::vector<ActiveRule> m_rules;
    uint64_t m_dropped[3] = {0, 0, 0};
    uint64_t m_examined[3] = {0, 0, 0};
};

} // namespace ns3

#endif
