#include "dysco-bypass-tag.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DyscoBypassTag);

TypeId
DyscoBypassTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DyscoBypassTag")
                            .SetParent<Tag>()
                            .SetGroupName("Dysco")
                            .AddConstructor<DyscoBypassTag>();
    return tid;
}

TypeId
DyscoBypassTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
DyscoBypassTag::GetSerializedSize() const
{
    return 1;
}

void
DyscoBypassTag::Serialize(TagBuffer i) const
{
    i.WriteU8(1);
}

void
DyscoBypassTag::Deserialize(TagBuffer i)
{
    i.ReadU8();
}

void
DyscoBypassTag::Print(std::ostream& os) const
{
    os << "dysco-bypass";
}

} // namespace ns3
