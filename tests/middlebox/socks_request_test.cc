// The SOCKS-like request and reply (model/ns3/socks-request.h): exact bytes, and every kind of
// malformed or truncated request is rejected with its reason and the status it gets.
#include "ns3/socks-request.h"

#include <gtest/gtest.h>
#include <vector>

namespace ns3
{
namespace
{

std::vector<uint8_t>
Connect(uint32_t ip, uint16_t port)
{
    std::vector<uint8_t> b;
    SocksMessage{kSocksConnect, ip, port}.Serialize(b);
    return b;
}

TEST(SocksRequest, SerializesTheSocks5Layout)
{
    EXPECT_EQ(Connect(0x0A000302, 80), (std::vector<uint8_t>{5, 1, 0, 1, 10, 0, 3, 2, 0, 80}));
    std::vector<uint8_t> reply;
    SocksMessage{uint8_t(SocksStatus::kConnectionRefused), 0, 0}.Serialize(reply);
    EXPECT_EQ(reply, (std::vector<uint8_t>{5, 5, 0, 1, 0, 0, 0, 0, 0, 0}));
}

TEST(SocksRequest, RoundTrip)
{
    const std::vector<uint8_t> b = Connect(0xC0A80101, 65535);
    SocksMessage m;
    ASSERT_EQ(m.DeserializeRequest(b.data(), b.size()), SocksError::kOk);
    EXPECT_EQ(m.code, kSocksConnect);
    EXPECT_EQ(m.ipv4, 0xC0A80101u);
    EXPECT_EQ(m.port, 65535u);
}

TEST(SocksRequest, EveryShortPrefixIsTruncated)
{
    const std::vector<uint8_t> b = Connect(0x0A000302, 80);
    for (size_t n = 0; n < kSocksMessageSize; ++n)
    {
        SocksMessage m;
        EXPECT_EQ(m.DeserializeRequest(b.data(), n), SocksError::kTruncated) << n;
        EXPECT_EQ(m.ipv4, 0u) << "left untouched";
    }
    EXPECT_EQ(StatusFor(SocksError::kTruncated), SocksStatus::kGeneralFailure);
}

TEST(SocksRequest, MalformedFieldsAreRejectedWithTheirReason)
{
    struct Case
    {
        size_t byte;
        uint8_t value;
        SocksError error;
        SocksStatus status;
    };
    for (const Case& c :
         {Case{0, 4, SocksError::kBadVersion, SocksStatus::kGeneralFailure},
          Case{0, 0, SocksError::kBadVersion, SocksStatus::kGeneralFailure},
          Case{1, 2, SocksError::kBadCommand, SocksStatus::kCommandNotSupported},
          Case{2, 1, SocksError::kBadReserved, SocksStatus::kGeneralFailure},
          Case{3, 4, SocksError::kBadAddressType, SocksStatus::kAddressTypeNotSupported}})
    {
        std::vector<uint8_t> b = Connect(0x0A000302, 80);
        b[c.byte] = c.value;
        SocksMessage m;
        EXPECT_EQ(m.DeserializeRequest(b.data(), b.size()), c.error) << ToString(c.error);
        EXPECT_EQ(StatusFor(c.error), c.status) << ToString(c.error);
    }
    for (const auto& b : {Connect(0, 80), Connect(0x0A000302, 0)})
    {
        SocksMessage m;
        EXPECT_EQ(m.DeserializeRequest(b.data(), b.size()), SocksError::kBadAddress);
    }
}

TEST(SocksRequest, TheReplyStatusMayBeAnyCode)
{
    std::vector<uint8_t> b;
    SocksMessage{uint8_t(SocksStatus::kConnectionRefused), 0, 0}.Serialize(b);
    SocksMessage m;
    ASSERT_EQ(m.DeserializeReply(b.data(), b.size()), SocksError::kOk);
    EXPECT_EQ(m.code, uint8_t(SocksStatus::kConnectionRefused));
    EXPECT_EQ(m.DeserializeReply(b.data(), 9), SocksError::kTruncated);
}

} // namespace
} // namespace ns3
