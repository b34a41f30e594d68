// Marks a packet that must pass the node's egress hook untouched: one the agent already
// translated and re-sent through Ipv4 because the rewrite changed its next hop, or one the
// agent originated itself (control messages, new-path handshakes, split segments).
#ifndef DYSCO_BYPASS_TAG_H
#define DYSCO_BYPASS_TAG_H

#include "ns3/tag.h"

namespace ns3
{

class DyscoBypassTag : public Tag
{
public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer i) const override;
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;
};

} // namespace ns3

#endif
