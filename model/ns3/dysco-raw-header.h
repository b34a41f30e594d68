// Header bytes handed back to ns-3 after the agent rewrote them.
//
// The agent works on raw bytes; rebuilding ns-3's Ipv4Header/TcpHeader objects would cost a
// deserialize/serialize round trip per packet (ns3-notes.md). Instead the binding strips the
// original header bytes from a packet copy and prepends this header, which serializes the
// rewritten bytes verbatim. The layers above parse them as usual.
#ifndef DYSCO_RAW_HEADER_H
#define DYSCO_RAW_HEADER_H

#include "ns3/header.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class DyscoRawHeader : public Header
{
public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /// Copies the bytes; the storage is reused, so no allocation after warm-up.
    void SetBytes(const uint8_t* data, uint32_t size);
    const std::vector<uint8_t>& GetBytes() const { return m_bytes; }

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    /// Reads the rest of the buffer (a raw header has no length field of its own).
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

private:
    std::vector<uint8_t> m_bytes;
};

} // namespace ns3

#endif
