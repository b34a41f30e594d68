#include "ether.h"

#include "core/bytes.h"

namespace dysco::dpdk
{

bool
ParseArp(const uint8_t* frame, size_t len, Arp* arp)
{
    if (len < kArpFrame || EtherType(frame) != kEtherArp)
    {
        return false;
    }
    const uint8_t* a = frame + kEthHeader;
    // hardware Ethernet (1), protocol IPv4, address lengths 6 and 4
    if (Load16(a) != 1 || Load16(a + 2) != kEtherIpv4 || a[4] != 6 || a[5] != 4)
    {
        return false;
    }
    const uint16_t op = Load16(a + 6);
    if (op != uint16_t(ArpOp::kRequest) && op != uint16_t(ArpOp::kReply))
    {
        return false;
    }
    arp->op = ArpOp(op);
    std::memcpy(arp->senderMac.data(), a + 8, 6);
    arp->senderIp = Load32(a + 14);
    std::memcpy(arp->targetMac.data(), a + 18, 6);
    arp->targetIp = Load32(a + 24);
    return true;
}

void
WriteArp(uint8_t* frame, const MacAddress& dst, const MacAddress& src, const Arp& arp)
{
    WriteEthHeader(frame, dst, src, kEtherArp);
    uint8_t* a = frame + kEthHeader;
    Store16(a, 1);
    Store16(a + 2, kEtherIpv4);
    a[4] = 6;
    a[5] = 4;
    Store16(a + 6, uint16_t(arp.op));
    std::memcpy(a + 8, arp.senderMac.data(), 6);
    Store32(a + 14, arp.senderIp);
    std::memcpy(a + 18, arp.targetMac.data(), 6);
    Store32(a + 24, arp.targetIp);
}

} // namespace dysco::dpdk
