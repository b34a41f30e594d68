// The application bytes a stream opens with, as the scenario writes them: `prefix` (text, the
// JSON string's UTF-8 bytes, e.g. "GET / HTTP/1.1\r\n") or `prefix_hex` (bytes as hex digits,
// e.g. "16030100"). Traffic entries send them before the stream id; classifier rules match
// them (scenarios/README.md, "traffic" and "classifier").
#ifndef DYSCOSIM_APP_PREFIX_H
#define DYSCOSIM_APP_PREFIX_H

#include "json_fields.h"

#include <cstdint>
#include <vector>

namespace dyscosim
{

/// At most this many bytes: a classifier copies this much of each session's start.
constexpr size_t kMaxAppPrefix = 256;

/// The bytes of `o`'s `prefix` or `prefix_hex` (not both); empty if neither is there. Throws
/// ScenarioError naming the key's JSON path on an empty, oversized or malformed value.
std::vector<uint8_t> ReadAppPrefix(const JsonObject& o);

} // namespace dyscosim

#endif
