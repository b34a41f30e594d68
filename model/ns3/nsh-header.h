// The NSH baseline's encapsulation (Chaining-Box thesis, reference 004): 38 bytes per
// packet, an inner Ethernet header (14) and an NSH with fixed-length context (MD type 1:
// base 4 + service path 4 + context 16). Only the fields the model uses carry meaning:
// service path identifier, service index and the encapsulated IP protocol.
#ifndef DYSCO_NSH_HEADER_H
#define DYSCO_NSH_HEADER_H

#include "ns3/header.h"

#include <cstdint>

namespace ns3
{

class NshHeader : public Header
{
public:
    static constexpr uint32_t kSize = 38;
    /// IP protocol number of an encapsulated packet on the wire (RFC 3692 experimental).
    static constexpr uint8_t kIpProtocol = 254;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

    uint32_t m_spi = 0;          ///< service path identifier (24 bits)
    uint8_t m_si = 0;            ///< service index: functions still to visit
    uint8_t m_innerProtocol = 0; ///< IP protocol of the encapsulated L4 packet
};

} // namespace ns3

#endif
