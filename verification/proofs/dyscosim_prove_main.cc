// dyscosim-prove: the Z3 proofs of the core's rewrite functions (prove_command.h).
#include "prove_command.h"

int
main(int argc, char** argv)
{
    return dysco::proofs::RunProveCommand(argc, argv);
}
