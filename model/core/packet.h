// In-place view of an IPv4+TCP packet held as raw bytes (IPv4 header first).
//
// Parse() validates the headers once; after that, getters read fields and setters rewrite
// them while keeping the IPv4 and TCP checksums right by incremental update (RFC 1624), so
// a data packet is rewritten without touching its payload. The buffer may hold only the
// headers ("header-only view", payload not present) except where noted: the binding then
// passes just the first bytes of a large data packet.
#ifndef DYSCO_CORE_PACKET_H
#define DYSCO_CORE_PACKET_H

#include "bytes.h"
#include "five_tuple.h"

#include <cstddef>
#include <cstdint>

namespace dysco
{

namespace tcpflag
{
constexpr uint8_t kFin = 0x01;
constexpr uint8_t kSyn = 0x02;
constexpr uint8_t kRst = 0x04;
constexpr uint8_t kPsh = 0x08;
constexpr uint8_t kAck = 0x10;
} // namespace tcpflag

namespace tcpopt
{
constexpr uint8_t kEnd = 0;
constexpr uint8_t kNop = 1;
constexpr uint8_t kMss = 2;
constexpr uint8_t kWindowScale = 3;
constexpr uint8_t kSackPermitted = 4;
constexpr uint8_t kSack = 5;
constexpr uint8_t kTimestamp = 8;
constexpr uint8_t kDyscoTag = 253; ///< local SYN tag, never leaves a middlebox host (§4.2)
/// On a new path's "ended" notice (Agent::SendEndedNotice), 12 bytes: kind, length, which
/// streams ended on the old path (bit 0 client -> server, bit 1 back), a zero byte, then the
/// reconfiguration's left anchor and request id (its new path's agents carry that marker).
/// Only agents see it: the anchor at the far end consumes the notice.
constexpr uint8_t kDyscoEnded = 254;
} // namespace tcpopt

enum class ParseError
{
    kOk,
    kTooShort,       ///< fewer bytes than the headers claim
    kNotIpv4,        ///< version != 4
    kBadIhl,         ///< IHL < 5
    kBadTotalLength, ///< total length < headers, or buffer longer than total length
    kFragment,       ///< MF set or fragment offset != 0
    kNotTcp,         ///< protocol != 6
    kBadDataOffset,  ///< TCP data offset < 5 or beyond total length
    kBadOption,      ///< malformed TCP option (length 0/1, overrun, wrong fixed length)
};

const char* ToString(ParseError e);

/// A TCP option found in the header: kind, total length (incl. kind and length bytes) and the
/// offset of its kind byte from the start of the TCP header.
struct TcpOptionRef
{
    uint8_t kind = 0;
    uint8_t length = 0;
    uint16_t offset = 0;
};

class PacketView
{
public:
    PacketView(uint8_t* data, size_t len)
        : m_data(data)
        , m_len(len)
    {
    }

    /// Validates IPv4 + TCP headers, including a walk over all TCP options with fixed-length
    /// checks (MSS 4, WS 3, SACK-permitted 2, SACK 2+8n with n in 1..4, TS 10, kind 253 6).
    /// len may be shorter than the IPv4 total length (header-only view) but must cover headers.
    /// Bytes after an EOL option are not examined; IPv4 options and checksums are not checked.
    /// Checks run in the order of ParseError, each reading only bytes known to be present.
    ParseError Parse();

    bool HasFullPayload() const { return m_len >= TotalLength(); }

    // --- reading ---
    uint8_t* Data() const { return m_data; }
    size_t BufferLength() const { return m_len; }
    size_t IpHeaderLength() const;
    size_t TcpHeaderLength() const;
    size_t HeadersLength() const { return IpHeaderLength() + TcpHeaderLength(); }
    uint16_t TotalLength() const; ///< IPv4 total length field
    size_t PayloadLength() const; ///< TCP payload bytes according to the IPv4 total length
    uint8_t* Tcp() const { return m_data + IpHeaderLength(); }
    uint8_t* Payload() const { return Tcp() + TcpHeaderLength(); } ///< valid if HasFullPayload
    uint32_t SrcIp() const;
    uint32_t DstIp() const;
    uint16_t SrcPort() const;
    uint16_t DstPort() const;
    uint32_t SeqNumber() const;
    uint32_t AckNumber() const;
    uint8_t Flags() const;
    bool HasFlag(uint8_t f) const { return (Flags() & f) != 0; }
    uint16_t Window() const;
    uint8_t Ttl() const;
    uint16_t IpChecksum() const;
    uint16_t TcpChecksumField() const;
    FiveTuple Tuple() const;

    /// Iterates the options: returns the number found and fills up to `max` refs.
    size_t Options(TcpOptionRef* out, size_t max) const;
    /// Finds the first option of `kind`; false if absent.
    bool FindOption(uint8_t kind, TcpOptionRef* out) const;

    // --- rewriting in place, checksums updated incrementally ---
    void SetSrcIp(uint32_t ip); ///< updates IPv4 and TCP (pseudo-header) checksums
    void SetDstIp(uint32_t ip);
    void SetSrcPort(uint16_t port);
    void SetDstPort(uint16_t port);
    void SetSeqNumber(uint32_t seq);
    void SetAckNumber(uint32_t ack);
    void SetWindow(uint16_t window);
    void SetTuple(const FiveTuple& t); ///< addresses and ports (protocol unchanged)
    /// Overwrites `len` bytes of option data at `offsetInTcp` with checksum update
    /// (used for SACK blocks and timestamps); offset must be inside the options area.
    /// Works at odd offsets; a range outside the options area is ignored.
    void RewriteOptionBytes(size_t offsetInTcp, const uint8_t* bytes, size_t len);

    /// Full recomputation of both checksums; needs the full payload (on a header-only view
    /// only the IPv4 header checksum is recomputed).
    void RecomputeChecksums();
    /// True if both checksums verify (false on a header-only view). Verifies like a receiver
    /// does, so a field holding 0xFFFF where 0x0000 is computed (both -0) also passes.
    bool ChecksumsValid() const;

private:
    uint8_t* m_data;
    size_t m_len;
};

// Trivial getters are inline: they sit on the per-packet path. All assume Parse() returned kOk.

inline size_t
PacketView::IpHeaderLength() const
{
    return size_t(m_data[0] & 0x0F) * 4;
}

inline size_t
PacketView::TcpHeaderLength() const
{
    return size_t(Tcp()[12] >> 4) * 4;
}

inline uint16_t
PacketView::TotalLength() const
{
    return Load16(m_data + 2);
}

inline size_t
PacketView::PayloadLength() const
{
    const size_t total = TotalLength();
    const size_t headers = HeadersLength();
    return total > headers ? total - headers : 0;
}

inline uint32_t
PacketView::SrcIp() const
{
    return Load32(m_data + 12);
}

inline uint32_t
PacketView::DstIp() const
{
    return Load32(m_data + 16);
}

inline uint16_t
PacketView::SrcPort() const
{
    return Load16(Tcp());
}

inline uint16_t
PacketView::DstPort() const
{
    return Load16(Tcp() + 2);
}

inline uint32_t
PacketView::SeqNumber() const
{
    return Load32(Tcp() + 4);
}

inline uint32_t
PacketView::AckNumber() const
{
    return Load32(Tcp() + 8);
}

inline uint8_t
PacketView::Flags() const
{
    return Tcp()[13];
}

inline uint16_t
PacketView::Window() const
{
    return Load16(Tcp() + 14);
}

inline uint8_t
PacketView::Ttl() const
{
    return m_data[8];
}

inline uint16_t
PacketView::IpChecksum() const
{
    return Load16(m_data + 10);
}

inline uint16_t
PacketView::TcpChecksumField() const
{
    return Load16(Tcp() + 16);
}

inline FiveTuple
PacketView::Tuple() const
{
    const uint8_t* tcp = Tcp();
    return FiveTuple{SrcIp(), DstIp(), Load16(tcp), Load16(tcp + 2), m_data[9]};
}

} // namespace dysco

#endif
