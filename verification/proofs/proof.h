// What every proof returns, and the one question each proof asks Z3.
//
// A proof states a claim over bit-vector inputs (all 2^32 values of every 32-bit input, under
// stated hypotheses) and asks Z3 for inputs where the hypotheses hold and the claim does not.
// unsat: the claim is proved; sat: a counterexample, printed with the values that matter;
// unknown (the solver timeout): neither, and callers must treat it as a failure.
//
// Some claims are *expected* to fail: documented facts (wrap-safe "before" is not transitive)
// and deliberately wrong variants of the rewrite functions (RFC 1141's update formula), which
// show the machinery can refute. The registry records what each proof is expected to give.
#ifndef DYSCO_PROOFS_PROOF_H
#define DYSCO_PROOFS_PROOF_H

#include <string>
#include <utility>
#include <vector>
#include <z3++.h>

namespace dysco
{
namespace proofs
{

enum class ProofStatus
{
    kProved,         ///< no input breaks the claim
    kCounterexample, ///< Z3 found inputs that break it (ProofResult::model)
    kUnknown,        ///< Z3 gave up (timeout): the claim is neither proved nor refuted
};

const char* ProofStatusName(ProofStatus s); ///< "proved", "counterexample", "unknown"

struct ProofOptions
{
    /// Per solver call. Generous: the slowest proof takes ~1.5 s on a 2-core VM.
    unsigned timeoutMs = 60000;
    /// Decide the checksum claims by bit-blasting instead of the integer translation: slow
    /// (seconds for ChecksumUpdate16, beyond minutes for the others), for cross-checks.
    bool bitVectorsOnly = false;
};

struct ProofResult
{
    std::string name;      ///< "seq_delta_round_trip"
    std::string statement; ///< the claim in English
    ProofStatus status = ProofStatus::kUnknown;
    std::string model;  ///< counterexample: "x = 0x00000000, d = 0x80000000" (empty if proved)
    std::string detail; ///< why Z3 gave up, for kUnknown
    std::string method; ///< how it was decided ("bit-vectors", "integer translation, ...")
    double seconds = 0;
};

/// Values to print from a counterexample: a name and a term over the proof's inputs.
using Shown = std::vector<std::pair<std::string, z3::expr>>;

/// Checks `hypothesis => claim` for all values of the free constants in both: asserts
/// hypothesis and not claim, and reads a counterexample from the model if there is one.
/// Times the solver call; fills name and statement from the arguments.
ProofResult CheckClaim(const std::string& name, const std::string& statement,
                       const z3::expr& hypothesis, const z3::expr& claim, const Shown& shown,
                       const ProofOptions& options);

/// "0x0000ffff" for a bit-vector numeral (width from its sort), "true"/"false" for a Boolean.
std::string FormatValue(const z3::expr& value);

} // namespace proofs
} // namespace dysco

#endif
