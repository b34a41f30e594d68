// Every proof dyscosim-prove runs, with what it is expected to give: most claims must be
// proved; documented facts (FACT) and deliberately wrong variants (WRONG) must come back
// with a counterexample, which shows the machinery can refute.
#ifndef DYSCO_PROOFS_PROOF_REGISTRY_H
#define DYSCO_PROOFS_PROOF_REGISTRY_H

#include "proof.h"

#include <functional>
#include <string>
#include <vector>

namespace dysco
{
namespace proofs
{

struct ProofEntry
{
    std::string name;
    ProofStatus expected = ProofStatus::kProved;
    std::function<ProofResult(const ProofOptions&)> run;
};

/// All proofs, in the order they are printed: sequence numbers, SACK, checksums.
const std::vector<ProofEntry>& AllProofs();

/// The entry named `name`, or nullptr.
const ProofEntry* FindProof(const std::string& name);

} // namespace proofs
} // namespace dysco

#endif
