#include "checksum.h"

#include "bytes.h"

namespace dysco
{

namespace
{

/// Folds a 64-bit one's-complement sum to 32 bits; 2^32 = 1 (mod 2^16 - 1), so the value's
/// one's-complement class is preserved.
inline uint32_t
Fold64(uint64_t s)
{
    s = (s & 0xFFFFFFFFull) + (s >> 32);
    s = (s & 0xFFFFFFFFull) + (s >> 32);
    return uint32_t(s);
}

} // namespace

uint32_t
ChecksumAccumulate(const uint8_t* data, size_t len, uint32_t sum)
{
    // A 64-bit accumulator cannot overflow for any realistic length, so no per-word folding.
    uint64_t s = sum;
    size_t i = 0;
    for (; i + 8 <= len; i += 8)
    {
        s += Load16(data + i);
        s += Load16(data + i + 2);
        s += Load16(data + i + 4);
        s += Load16(data + i + 6);
    }
    for (; i + 2 <= len; i += 2)
    {
        s += Load16(data + i);
    }
    if (i < len)
    {
        s += uint32_t(data[i]) << 8; // odd tail, padded with a zero byte
    }
    return Fold64(s);
}

uint16_t
ChecksumFinish(uint32_t sum)
{
    sum = (sum & 0xFFFF) + (sum >> 16);
    sum = (sum & 0xFFFF) + (sum >> 16);
    return uint16_t(~sum);
}

uint16_t
Ipv4HeaderChecksum(const uint8_t* ipHeader, size_t headerLen)
{
    if (headerLen < 12)
    {
        return ChecksumFinish(ChecksumAccumulate(ipHeader, headerLen));
    }
    uint32_t sum = ChecksumAccumulate(ipHeader, 10);
    sum = ChecksumAccumulate(ipHeader + 12, headerLen - 12, sum);
    return ChecksumFinish(sum);
}

uint16_t
TcpChecksum(uint32_t srcIp, uint32_t dstIp, const uint8_t* segment, size_t segmentLen)
{
    uint64_t pseudo = uint64_t(srcIp >> 16) + (srcIp & 0xFFFF) + (dstIp >> 16) + (dstIp & 0xFFFF) +
                      6 /* zero byte, protocol TCP */ + (segmentLen >> 16) + (segmentLen & 0xFFFF);
    uint32_t sum = Fold64(pseudo);
    if (segmentLen < 18)
    {
        return ChecksumFinish(ChecksumAccumulate(segment, segmentLen, sum));
    }
    sum = ChecksumAccumulate(segment, 16, sum);
    sum = ChecksumAccumulate(segment + 18, segmentLen - 18, sum);
    return ChecksumFinish(sum);
}

} // namespace dysco
