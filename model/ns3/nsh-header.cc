#include "nsh-header.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(NshHeader);

TypeId
NshHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NshHeader")
                            .SetParent<Header>()
                            .SetGroupName("Dysco")
                            .AddConstructor<NshHeader>();
    return tid;
}

TypeId
NshHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
NshHeader::GetSerializedSize() const
{
    return kSize;
}

void
NshHeader::Serialize(Buffer::Iterator i) const
{
    // Inner Ethernet: zero addresses, EtherType NSH (0x894F).
    for (int k = 0; k < 12; ++k)
    {
        i.WriteU8(0);
    }
    i.WriteHtonU16(0x894F);
    // NSH base: version 0, TTL 63, length 6 words, MD type 1, next protocol 0xFE
    // (experimental: the inner protocol is in the first context byte).
    i.WriteHtonU16(uint16_t((63u << 6) | 6u));
    i.WriteU8(0x01);
    i.WriteU8(0xFE);
    i.WriteHtonU32((m_spi << 8) | m_si);
    i.WriteU8(m_innerProtocol);
    for (int k = 1; k < 16; ++k)
    {
        i.WriteU8(0);
    }
}

uint32_t
NshHeader::Deserialize(Buffer::Iterator i)
{
    i.Next(14 + 4);
    uint32_t sph = i.ReadNtohU32();
    m_spi = sph >> 8;
    m_si = uint8_t(sph & 0xff);
    m_innerProtocol = i.ReadU8();
    i.Next(15);
    return kSize;
}

void
NshHeader::Print(std::ostream& os) const
{
    os << "NSH spi=" << m_spi << " si=" << uint32_t(m_si) << " inner=" << uint32_t(m_innerProtocol);
}

} // namespace ns3
