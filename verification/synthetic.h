// Synthetic traces that obey all five properties, with optional planted violations: the
// benchmark's input and the agreement tests' raw material. A session is a handshake, data in
// both directions (SACK and timestamps included), optionally a reconfiguration (success,
// contention with a denied rival, or abort after a new-path failure), optionally a content
// edit by a middlebox, then FINs and state release.
#ifndef DYSCO_VERIFY_SYNTHETIC_H
#define DYSCO_VERIFY_SYNTHETIC_H

#include "property.h"
#include "trace.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dysco
{
namespace verify
{

enum class Mutation
{
    kCorruptRead,    ///< a read's hash differs                      -> no_data_loss
    kDropRead,       ///< a read record is missing                    -> no_data_loss
    kAckBeyond,      ///< an ack beyond what the endpoint sent        -> seq_ack_correct
    kSackOutside,    ///< a SACK block beyond what was sent           -> seq_ack_correct
    kTsEcrBogus,     ///< a TSecr the endpoint never sent             -> seq_ack_correct
    kSeqForeign,     ///< a segment from another sequence space       -> seq_ack_correct
    kDoubleLock,     ///< a second holder of a locked subsession      -> lock_exclusive
    kBothWin,        ///< the denied rival also wins                  -> lock_exclusive
    kNeverEnds,      ///< the reconfiguration's end record is missing -> reconfig_terminates
    kAbortNoCancel,  ///< aborted without ackCancel                    -> reconfig_terminates
    kTeardownEarly,  ///< teardown with oldSentAcked < oldSent        -> clean_termination
    kCutoffMismatch, ///< anchors disagree on the cutoff               -> clean_termination
    kNoFree,         ///< an agent never frees its state               -> clean_termination
    kUseAfterFree,   ///< a lock record after the agent freed state    -> clean_termination
    kNoClose,        ///< an endpoint never closes                     -> clean_termination
};

constexpr size_t kMutationCount = 15;
const char* MutationName(Mutation m);
/// The property a mutation is meant to break (it may break others too).
PropertyId MutationTarget(Mutation m);

struct Planted
{
    uint32_t session = 0;
    Mutation mutation = Mutation::kCorruptRead;
};

struct SyntheticOptions
{
    uint64_t seed = 1;
    size_t sessions = 8;
    size_t chunks = 24;     ///< application writes per session (about 7 events each)
    size_t concurrent = 16; ///< sessions that overlap in time
    double reconfigFraction = 0.5;
    double contentionFraction = 0.3; ///< of reconfigured sessions: a rival request is denied
    double abortFraction = 0.2;      ///< of reconfigured sessions: the new path fails
    double editFraction = 0.2;       ///< sessions with a content edit (c2s)
    std::vector<Planted> plant;      ///< violations to plant (a mutation that does not fit the
                                     ///< session's shape is skipped; see Synthetic::planted)
};

struct Synthetic
{
    nlohmann::json header;
    std::vector<Event> events;
    std::vector<Planted> planted; ///< the mutations actually applied
};

/// The whole trace in memory.
Synthetic GenerateSynthetic(const SyntheticOptions& options);

/// Streams the trace to `path` (waves of `concurrent` sessions, so memory stays small).
/// Returns the number of records, or 0 with `error` set.
uint64_t WriteSyntheticTrace(const std::string& path, const SyntheticOptions& options,
                             std::vector<Planted>* planted, std::string* error);

} // namespace verify
} // namespace dysco

#endif
