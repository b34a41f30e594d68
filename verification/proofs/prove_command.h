// `dyscosim-prove [--only NAME,...] [--timeout SECONDS] [--list]`
//
// Runs the Z3 proofs of the core's rewrite functions (sequence deltas, SACK translation,
// incremental checksums) and prints each proof's statement, result and solver time, and the
// counterexample where there is one. Documented facts (_FACT) and wrong variants (_WRONG) are
// expected to give a counterexample.
// Exit codes: 0 every proof gave what it is expected to give; 1 one did not (a claim refuted,
// a wrong variant proved, or the solver timeout hit); 2 bad usage.
#ifndef DYSCO_PROOFS_PROVE_COMMAND_H
#define DYSCO_PROOFS_PROVE_COMMAND_H

namespace dysco
{
namespace proofs
{

int RunProveCommand(int argc, char** argv);

} // namespace proofs
} // namespace dysco

#endif
