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
/// NOPs/EOL to a multiple of 4 bytes; fails if the options would exceed 40 bytes.
bool AddTcpOption(std::vector<uint8_t>& pkt, uint8_t kind, const uint8_t* value, size_t valueLen);

/// Removes every option of `kind` (re-padding the rest); false if none was present.
bool RemoveTcpOption(std::vector<uint8_t>& pkt, uint8_t kind);

/// Replaces the TCP payload with `len` bytes.
bool SetTcpPayload(std::vector<uint8_t>& pkt, const uint8_t* payload, size_t len);

/// Builds a minimal valid IPv4+TCP packet (IHL 5, TTL 64, no options unless given as raw bytes
/// whose length is a multiple of 4), for tests, benchmarks and injected packets.
std::vector<uint8_t> BuildTcpPacket(uint32_t srcIp, uint32_t dstIp, uint16_t srcPort,
                                    uint16_t dstPort, uint32_t seq, uint32_t ack, uint8_t flags,
                                    uint16_t window, const uint8_t* options, size_t optionsLen,
                                    const uint8_t* payload, size_t payloadLen);

} // namespace dysco

#endif
