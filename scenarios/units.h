// Parsers for the unit-carrying strings of scenario files: data rates, delays, IPv4
// prefixes and port ranges. They only say yes or no; the loader words the error, because
// it knows the JSON path.
#ifndef DYSCOSIM_UNITS_H
#define DYSCOSIM_UNITS_H

#include <cstdint>
#include <string>

namespace dyscosim
{

/// "100Mbps", "1Gbps", "2.5Gbps", "64kbps", "9600bps" (unit case-insensitive) -> bits/s > 0.
bool ParseRate(const std::string& text, uint64_t* bps);

/// "1ms", "0.5ms", "20us", "100ns", "2s" -> nanoseconds (whole; may be 0).
bool ParseDelay(const std::string& text, uint64_t* ns);

/// Dotted-quad IPv4 in host byte order ("10.0.0.1"); no leading zeros, no missing parts.
bool ParseIpv4Address(const std::string& text, uint32_t* ip);

/// "10.0.0.0/8", or an address alone (= /32). Rejects host bits set beyond the length.
enum class PrefixParse
{
    kOk,
    kMalformed,
    kHostBitsSet, ///< e.g. "10.0.0.1/8"; `address` then holds the masked network address
};
PrefixParse ParsePrefix(const std::string& text, uint32_t* address, uint8_t* length);

/// "80" or "1000-2000" (inclusive, low <= high, both in 0..65535).
bool ParsePortRange(const std::string& text, uint16_t* low, uint16_t* high);

/// Text of a host-order address ("10.0.1.2").
std::string FormatIpv4(uint32_t ip);

/// Human text for a rate in bits/s ("1Gbps", "2.5Mbps").
std::string FormatRate(uint64_t bps);

} // namespace dyscosim

#endif
