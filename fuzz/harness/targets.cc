#include "harness.h"

#include <cstdio>
#include <cstdlib>

namespace dysco
{
namespace fuzz
{

void
Fail(const char* file, int line, const char* what)
{
    std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n", file, line, what);
    std::abort();
}

std::vector<Target>
Targets()
{
    std::vector<Target> t{{"packet", FuzzPacket},
                          {"syn_payload", FuzzSynPayload},
                          {"control", FuzzControl},
                          {"agent", FuzzAgent},
                          {"policy_message", FuzzPolicyMessage}};
#ifdef DYSCO_FUZZ_HAVE_TRACE
    t.push_back({"trace", FuzzTrace});
#endif
#ifdef DYSCO_FUZZ_HAVE_SCENARIO
    t.push_back({"scenario", FuzzScenario});
#endif
    return t;
}

} // namespace fuzz
} // namespace dysco
