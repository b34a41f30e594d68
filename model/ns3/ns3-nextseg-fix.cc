#include "ns3-nextseg-fix.h"

#include "ns3/abort.h"
#include "ns3/tcp-tx-buffer.h"

#include <cstring>
#include <dlfcn.h>

namespace ns3
{

namespace
{

constexpr const char* kNextSegSymbol =
    "_ZNK3ns311TcpTxBuffer7NextSegEPNS_14SequenceNumberIjiEES3_b";

// ns-3's NextSeg as a plain function (Itanium ABI: `this` first).
using NextSegFn = bool (*)(const TcpTxBuffer*, SequenceNumber32*, SequenceNumber32*, bool);

uint64_t g_fixed = 0;

NextSegFn
Original()
{
    static const NextSegFn original = reinterpret_cast<NextSegFn>(dlsym(RTLD_NEXT, kNextSegSymbol));
    NS_ABORT_MSG_IF(original == nullptr,
                    "dyscosim: TcpTxBuffer::NextSeg not found in libns3-internet: " << dlerror());
    return original;
}

} // namespace

// Defined here, this is the NextSeg the dynamic linker binds libns3-internet's calls to.
bool
TcpTxBuffer::NextSeg(SequenceNumber32* seq, SequenceNumber32* seqHigh, bool isRecovery) const
{
    if (!Original()(this, seq, seqHigh, isRecovery))
    {
        return false;
    }
    if (*seqHigh == *seq)
    {
        ++g_fixed; // rule 2 with a full receiver window
        return false;
    }
    return true;
}

uint64_t
DyscoNextSegFixCount()
{
    return g_fixed;
}

bool
DyscoNextSegFixActive()
{
    // The address the dynamic linker resolves the symbol to, from the global scope as the
    // library's PLT would: this file's definition if the interposition took effect.
    void* bound = dlsym(RTLD_DEFAULT, kNextSegSymbol);
    auto mine = &TcpTxBuffer::NextSeg;
    void* ours = nullptr;
    static_assert(sizeof(mine) >= sizeof(ours), "member pointer layout");
    std::memcpy(&ours, &mine, sizeof(ours));
    return bound != nullptr && bound == ours;
}

} // namespace ns3
