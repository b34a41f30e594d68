// The SOCKS-like handshake of the explicit proxy (DyscoSocksProxy): a SOCKSv5-shaped CONNECT
// for IPv4 only, fixed length both ways, so the proxy knows exactly how many bytes it
// consumes and writes (the deltas it declares when it splices itself out).
//
//   request  VER(5) CMD(1 = CONNECT) RSV(0) ATYP(1 = IPv4) DST.ADDR(4) DST.PORT(2)
//   reply    VER(5) REP(status)      RSV(0) ATYP(1 = IPv4) BND.ADDR(4) BND.PORT(2)
//
// All fields big-endian. Plain C++ (no ns-3): the proxy, the stream sender and tests use it.
#ifndef DYSCO_SOCKS_REQUEST_H
#define DYSCO_SOCKS_REQUEST_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3
{

constexpr uint8_t kSocksVersion = 5;
constexpr uint8_t kSocksConnect = 1;
constexpr uint8_t kSocksIpv4 = 1;
constexpr size_t kSocksMessageSize = 10; ///< request and reply alike

/// Reply statuses (SOCKSv5's REP values).
enum class SocksStatus : uint8_t
{
    kSucceeded = 0,
    kGeneralFailure = 1,
    kConnectionRefused = 5,
    kCommandNotSupported = 7,
    kAddressTypeNotSupported = 8,
};

/// Why a request was not accepted.
enum class SocksError
{
    kOk,
    kTruncated,      ///< fewer than kSocksMessageSize bytes
    kBadVersion,     ///< VER is not 5
    kBadCommand,     ///< CMD is not CONNECT
    kBadReserved,    ///< RSV is not 0
    kBadAddressType, ///< ATYP is not IPv4
    kBadAddress,     ///< address 0 or port 0
};

const char* ToString(SocksError e);
/// The reply status a malformed request gets.
SocksStatus StatusFor(SocksError e);

/// CONNECT request (and, with `status`, the reply's fields).
struct SocksMessage
{
    uint8_t code = kSocksConnect; ///< CMD in a request, REP in a reply
    uint32_t ipv4 = 0;
    uint16_t port = 0;

    /// Appends the kSocksMessageSize bytes to `out`.
    void Serialize(std::vector<uint8_t>& out) const;
    /// Parses a request from `data` (`n` bytes available); kTruncated if n is short.
    SocksError DeserializeRequest(const uint8_t* data, size_t n);
    /// Parses a reply: same layout, `code` is the status (any value).
    SocksError DeserializeReply(const uint8_t* data, size_t n);
};

} // namespace ns3

#endif
