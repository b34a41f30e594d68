// Length-changing edits of a whole IPv4+TCP packet held in a byte vector. These are for
// SYNs (address-list payload, option-253 tag) and split packets, never the common data path;
// each recomputes lengths and both checksums. All return false, leaving the packet
// untouched, if the packet does not parse or the edit does not fit.
#ifndef DYSCO_CORE_PACKET_EDIT_H
#define DYSCO_CORE_PACKET_EDIT_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace dysco
{

/// Appends one option (kind, length, value bytes) to the TCP options area, re-padding with
/// NOPs/EOL to a multiple of 4 bytes; fails if the options would exceed 40 bytes. Existing
/// options keep their layout; only if that leaves no room are their alignment NOPs dropped.
/// Fails too for kind 0/1 or a length Parse() rejects (e.g. MSS not 4 bytes).
bool AddTcpOption(std::vector<uint8_t>& pkt, uint8_t kind, const uint8_t* value, size_t valueLen);

/// Removes every option of `kind` (re-padding the rest); false if none was present.
bool RemoveTcpOption(std::vector<uint8_t>& pkt, uint8_t kind);

/// Replaces the TCP payload with `len` bytes (`payload` may point into `pkt`; a header-only
/// buffer is accepted since its payload is discarded).
bool SetTcpPayload(std::vector<uint8_t>& pkt, const uint8_t* payload, size_t len);

/// Builds a minimal valid IPv4+TCP packet (IHL 5, TTL 64, no options unless given as raw bytes
/// whose length is a multiple of 4), for tests, benchmarks and injected packets. Options are
/// copied unchecked (tests build malformed packets this way); returns an empty vector if
/// optionsLen is not a multiple of 4 or above 40, or the packet would exceed 65535 bytes.
std::vector<uint8_t> BuildTcpPacket(uint32_t srcIp, uint32_t dstIp, uint16_t srcPort,
                                    uint16_t dstPort, uint32_t seq, uint32_t ack, uint8_t flags,
                                    uint16_t window, const uint8_t* options, size_t optionsLen,
                                    const uint8_t* payload, size_t payloadLen);

} // namespace dysco

#endif
