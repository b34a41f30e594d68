#include "dysco-raw-header.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DyscoRawHeader);

TypeId
DyscoRawHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DyscoRawHeader")
                            .SetParent<Header>()
                            .SetGroupName("Dysco")
                            .AddConstructor<DyscoRawHeader>();
    return tid;
}

TypeId
DyscoRawHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
DyscoRawHeader::SetBytes(const uint8_t* data, uint32_t size)
{
    m_bytes.assign(data, data + size);
}

uint32_t
DyscoRawHeader::GetSerializedSize() const
{
    return static_cast<uint32_t>(m_bytes.size());
}

void
DyscoRawHeader::Serialize(Buffer::Iterator start) const
{
    start.Write(m_bytes.data(), static_cast<uint32_t>(m_bytes.size()));
}

uint32_t
DyscoRawHeader::Deserialize(Buffer::Iterator start)
{
    uint32_t n = start.GetRemainingSize();
    m_bytes.resize(n);
    start.Read(m_bytes.data(), n);
    return n;
}

void
DyscoRawHeader::Print(std::ostream& os) const
{
    os << "raw " << m_bytes.size() << " bytes";
}

} // namespace ns3
