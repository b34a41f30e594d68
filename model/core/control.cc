#include "control.h"

#include "bytes.h"
#include "checksum.h"
#include "syn_payload.h"

#include <algorithm>

namespace dysco
{

namespace
{
constexpr uint8_t kMagic0 = 'D';
constexpr uint8_t kMagic1 = 'c';
constexpr size_t kIpHeader = 20;
constexpr size_t kUdpHeader = 8;
} // namespace

const char*
ToString(ControlType t)
{
    switch (t)
    {
    case ControlType::kRequestLock:
        return "requestLock";
    case ControlType::kAckLock:
        return "ackLock";
    case ControlType::kNackLock:
        return "nackLock";
    case ControlType::kCancelLock:
        return "cancelLock";
    case ControlType::kAckCancel:
        return "ackCancel";
    case ControlType::kOldPathDone:
        return "oldPathDone";
    case ControlType::kTrigger:
        return "trigger";
    case ControlType::kAck:
        return "ack";
    }
    return "unknown";
}

const char*
ToString(ControlError e)
{
    switch (e)
    {
    case ControlError::kOk:
        return "ok";
    case ControlError::kTooShort:
        return "shorter than the 44-byte header";
    case ControlError::kBadMagic:
        return "bad magic";
    case ControlError::kBadVersion:
        return "unsupported version";
    case ControlError::kBadType:
        return "unknown message type";
    case ControlError::kBadCount:
        return "address count above the chain limit";
    case ControlError::kBadLength:
        return "length does not match the address count";
    case ControlError::kBadReserved:
        return "reserved bytes not zero";
    }
    return "unknown";
}

bool
ControlMessage::operator==(const ControlMessage& o) const
{
    return type == o.type && serial == o.serial && subsession == o.subsession &&
           leftAnchor == o.leftAnchor && rightAnchor == o.rightAnchor && requestId == o.requestId &&
           delta == o.delta && flags == o.flags && addresses == o.addresses &&
           protection == o.protection && nonce == o.nonce && keyId == o.keyId && mac == o.mac;
}

size_t
ControlMacOffset(const ControlMessage& m)
{
    return kControlHeaderSize + 4 * m.addresses.size() + ((m.protection & kProtectNonce) ? 8 : 0) +
           4;
}

namespace
{
size_t
TrailerSize(uint8_t protection)
{
    return ((protection & kProtectNonce) ? 8 : 0) + ((protection & kProtectMac) ? 20 : 0);
}
} // namespace

size_t
EncodeControl(const ControlMessage& m, std::vector<uint8_t>& out)
{
    if (m.addresses.size() > kMaxChainAddresses || (m.protection & ~3u) != 0)
    {
        return 0;
    }
    const size_t start = out.size();
    out.resize(start + kControlHeaderSize + 4 * m.addresses.size() + TrailerSize(m.protection), 0);
    uint8_t* p = out.data() + start;
    p[0] = kMagic0;
    p[1] = kMagic1;
    p[2] = kControlVersion;
    p[3] = uint8_t(m.type);
    Store32(p + 4, m.serial);
    Store32(p + 8, m.subsession.srcIp);
    Store32(p + 12, m.subsession.dstIp);
    Store16(p + 16, m.subsession.srcPort);
    Store16(p + 18, m.subsession.dstPort);
    p[20] = m.subsession.protocol;
    Store32(p + 22, m.leftAnchor);
    Store32(p + 26, m.rightAnchor);
    Store32(p + 30, m.requestId);
    Store32(p + 34, uint32_t(m.delta));
    p[38] = m.flags;
    p[39] = uint8_t(m.addresses.size());
    p[40] = m.protection;
    for (size_t i = 0; i < m.addresses.size(); ++i)
    {
        Store32(p + kControlHeaderSize + 4 * i, m.addresses[i]);
    }
    uint8_t* t = p + kControlHeaderSize + 4 * m.addresses.size();
    if (m.protection & kProtectNonce)
    {
        Store32(t, uint32_t(m.nonce >> 32));
        Store32(t + 4, uint32_t(m.nonce));
        t += 8;
    }
    if (m.protection & kProtectMac)
    {
        Store32(t, m.keyId);
        std::copy(m.mac.begin(), m.mac.end(), t + 4);
    }
    return out.size() - start;
}

ControlError
DecodeControl(const uint8_t* p, size_t len, ControlMessage* out)
{
    if (len < kControlHeaderSize)
    {
        return ControlError::kTooShort;
    }
    if (p[0] != kMagic0 || p[1] != kMagic1)
    {
        return ControlError::kBadMagic;
    }
    if (p[2] != kControlVersion)
    {
        return ControlError::kBadVersion;
    }
    if (p[3] < uint8_t(ControlType::kRequestLock) || p[3] > uint8_t(ControlType::kAck))
    {
        return ControlError::kBadType;
    }
    const size_t n = p[39];
    if (n > kMaxChainAddresses)
    {
        return ControlError::kBadCount;
    }
    const uint8_t protection = p[40];
    if (p[21] != 0 || (protection & ~3u) != 0 || p[41] != 0 || p[42] != 0 || p[43] != 0)
    {
        return ControlError::kBadReserved;
    }
    if (len != kControlHeaderSize + 4 * n + TrailerSize(protection))
    {
        return ControlError::kBadLength;
    }
    ControlMessage m;
    m.type = ControlType(p[3]);
    m.serial = Load32(p + 4);
    m.subsession = FiveTuple{Load32(p + 8), Load32(p + 12), Load16(p + 16), Load16(p + 18), p[20]};
    m.leftAnchor = Load32(p + 22);
    m.rightAnchor = Load32(p + 26);
    m.requestId = Load32(p + 30);
    m.delta = SeqDelta(Load32(p + 34));
    m.flags = p[38];
    m.addresses.resize(n);
    for (size_t i = 0; i < n; ++i)
    {
        m.addresses[i] = Load32(p + kControlHeaderSize + 4 * i);
    }
    m.protection = protection;
    const uint8_t* t = p + kControlHeaderSize + 4 * n;
    if (protection & kProtectNonce)
    {
        m.nonce = (uint64_t(Load32(t)) << 32) | Load32(t + 4);
        t += 8;
    }
    if (protection & kProtectMac)
    {
        m.keyId = Load32(t);
        std::copy(t + 4, t + 4 + kControlMacSize, m.mac.begin());
    }
    *out = std::move(m);
    return ControlError::kOk;
}

bool
VerifyControlMac(const uint8_t* p, size_t len, const ControlMessage& m, const KeyRing& keys)
{
    if (!(m.protection & kProtectMac))
    {
        return true;
    }
    const ChainKey* key = keys.Find(m.keyId);
    const size_t at = ControlMacOffset(m);
    if (key == nullptr || at + kControlMacSize != len)
    {
        return false;
    }
    return MacEquals(ComputeControlMac(*key, p, at), m.mac);
}

std::vector<uint8_t>
BuildControlPacket(uint32_t src, uint32_t dst, const ControlMessage& m, const KeyRing* keys)
{
    std::vector<uint8_t> payload;
    EncodeControl(m, payload);
    if ((m.protection & kProtectMac) && !payload.empty())
    {
        const ChainKey* key = keys != nullptr ? keys->Find(m.keyId) : nullptr;
        const size_t at = ControlMacOffset(m);
        ControlMac mac{};
        if (key != nullptr)
        {
            mac = ComputeControlMac(*key, payload.data(), at);
        }
        std::copy(mac.begin(), mac.end(), payload.begin() + at);
    }
    std::vector<uint8_t> pkt(kIpHeader + kUdpHeader + payload.size(), 0);
    std::copy(payload.begin(), payload.end(), pkt.begin() + kIpHeader + kUdpHeader);
    const size_t udpLen = pkt.size() - kIpHeader;
    uint8_t* ip = pkt.data();
    ip[0] = 0x45;
    Store16(ip + 2, uint16_t(pkt.size()));
    ip[8] = 64;
    ip[9] = kProtoUdp;
    Store32(ip + 12, src);
    Store32(ip + 16, dst);
    Store16(ip + 10, Ipv4HeaderChecksum(ip, kIpHeader));
    uint8_t* udp = ip + kIpHeader;
    Store16(udp, kControlPort);
    Store16(udp + 2, kControlPort);
    Store16(udp + 4, uint16_t(udpLen));
    // UDP checksum: pseudo-header + datagram (the TCP routine differs only in the protocol).
    uint32_t sum = ChecksumAccumulate(udp, udpLen);
    sum +=
        (src >> 16) + (src & 0xFFFF) + (dst >> 16) + (dst & 0xFFFF) + kProtoUdp + uint32_t(udpLen);
    uint16_t c = ChecksumFinish(sum);
    Store16(udp + 6, c == 0 ? 0xFFFF : c);
    return pkt;
}

bool
IsControlPacket(const std::vector<uint8_t>& packet, const uint8_t** payload, size_t* len)
{
    if (packet.size() < kIpHeader + kUdpHeader || (packet[0] >> 4) != 4 || packet[9] != kProtoUdp)
    {
        return false;
    }
    const size_t ihl = size_t(packet[0] & 0x0F) * 4;
    if (ihl < kIpHeader || packet.size() < ihl + kUdpHeader)
    {
        return false;
    }
    const uint8_t* udp = packet.data() + ihl;
    if (Load16(udp + 2) != kControlPort)
    {
        return false;
    }
    const size_t udpLen = Load16(udp + 4);
    if (udpLen < kUdpHeader || ihl + udpLen > packet.size())
    {
        *payload = udp + kUdpHeader;
        *len = 0; // truncated: the decoder reports it as too short
        return true;
    }
    *payload = udp + kUdpHeader;
    *len = udpLen - kUdpHeader;
    return true;
}

} // namespace dysco
