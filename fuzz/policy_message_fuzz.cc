// libFuzzer entry point of the policy_message target (harness/harness.h).
#include "harness/harness.h"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    return dysco::fuzz::FuzzPolicyMessage(data, size);
}
