// Deliberate protocol bugs ("mutants") for the mutant suite (tests/mutant): each one is a small
// deviation from the protocol that the trace checker must catch. A test build selects one at
// run time with SetMutant(); everywhere else MutantActive() is the constant false and the
// compiler removes the code it guards. Only the dysco-core-mutants library (linked by the
// mutant suite) is compiled with DYSCO_ENABLE_MUTANTS, so no shipped binary carries them.
#ifndef DYSCO_CORE_MUTANT_H
#define DYSCO_CORE_MUTANT_H

#include <cstdint>
#include <string>

namespace dysco
{

enum class Mutant : uint8_t
{
    kNone = 0,
    kSkipNewPathDelta,    ///< anchors ignore the delta learnt in requestLock/ackLock (§3.3)
    kSkipLockDelta,       ///< requestLock/ackLock do not accumulate the old path's deltas
    kUntranslatedAck,     ///< the ack of a packet leaving a shifted side keeps its old value
    kNoSackTranslation,   ///< SACK blocks are not shifted along with the ack (ShiftSackBlocks)
    kWrongChecksum,       ///< the incremental checksum update of a shifted ack is off by one
    kEarlyTeardown,       ///< the old path is torn down as soon as the two-path phase begins
    kNewDataOnOldPath,    ///< the first new segment (at oldSent) still goes on the old path
    kDoubleLockGrant,     ///< requestLock is forwarded although the lock is pending or locked
    kCancelWithoutUnlock, ///< an agent relays a cancelLock but keeps its lock
    kDropAckCancel,       ///< the right anchor never answers cancelLock with ackCancel
    kAbortWithoutCancel,  ///< a failed new path is abandoned without cancelLock (§3.5)
    kNoFreeAtClose,       ///< a closed session's state is never freed after the linger time
    kNoLockTimeout,       ///< the left anchor waits for answers forever: no requestLock resend or
                          ///< give-up, and a close while locking waits for ackCancel
    kCount,
};

/// "skip_new_path_delta", ...; "none" for kNone.
const char* ToString(Mutant m);
/// Parses a name ToString gives; false if unknown.
bool MutantFromString(const std::string& name, Mutant* out);

#ifdef DYSCO_ENABLE_MUTANTS
namespace detail
{
extern Mutant g_activeMutant;
}

/// Selects the mutant every agent of this process runs with (kNone: the correct protocol).
void SetMutant(Mutant m);

inline bool
MutantActive(Mutant m)
{
    return detail::g_activeMutant == m;
}
#else
constexpr bool
MutantActive(Mutant)
{
    return false;
}
#endif

} // namespace dysco

#endif
