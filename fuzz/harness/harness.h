// Fuzz harnesses: one entry point per parser, shared by the libFuzzer binaries (fuzz/*_fuzz.cc)
// and the security tests (tests/security), which replay the seed corpora and every past
// finding through the ordinary gtest build. Each returns 0; a violated property aborts with
// a message (FUZZ_CHECK), which libFuzzer reports as a crash and gtest as a dead test.
#ifndef DYSCO_FUZZ_HARNESS_H
#define DYSCO_FUZZ_HARNESS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dysco
{
namespace fuzz
{

using Entry = int (*)(const uint8_t* data, size_t size);

/// 8 parameter bytes (field values, a delta) then an IPv4+TCP packet: Parse, option walk,
/// in-place rewrites (checksums must stay valid), length-changing edits.
int FuzzPacket(const uint8_t* data, size_t size);
/// A SYN address-list payload: strict decode; decode(encode(x)) == x both ways.
int FuzzSynPayload(const uint8_t* data, size_t size);
/// A policy distribution datagram: strict decode; decode(encode(x)) == x both ways.
int FuzzPolicyMessage(const uint8_t* data, size_t size);
/// A control message (UDP payload or whole IPv4/UDP packet): decode/encode round trips.
int FuzzControl(const uint8_t* data, size_t size);
/// Three agents (client A, middlebox B, server D) driven by a script of packets, timers and
/// reconfiguration calls (agent_script.h): no crash, forwarded packets keep valid checksums,
/// everything the agents emit parses.
int FuzzAgent(const uint8_t* data, size_t size);
/// A checker trace (verification/README.md): TraceReader::Parse fails cleanly or succeeds.
int FuzzTrace(const uint8_t* data, size_t size);
/// A scenario file: LoadScenarioText accepts it or throws ScenarioError, nothing else.
int FuzzScenario(const uint8_t* data, size_t size);

/// The seed generator's tap: called with every packet that crosses a link in FuzzAgent.
void SetWireTap(void (*tap)(const std::vector<uint8_t>& packet));

struct Target
{
    std::string name; ///< also the corpus directory fuzz/corpus/NAME and binary NAME-fuzz
    Entry entry;
};

/// The targets this build has (trace needs Z3, scenario the scenario library).
std::vector<Target> Targets();

[[noreturn]] void Fail(const char* file, int line, const char* what);

} // namespace fuzz
} // namespace dysco

#define FUZZ_CHECK(cond, what)                                                                     \
    do                                                                                             \
    {                                                                                              \
        if (!(cond))                                                                               \
        {                                                                                          \
            ::dysco::fuzz::Fail(__FILE__, __LINE__, what);                                         \
        }                                                                                          \
    } while (0)

#endif
