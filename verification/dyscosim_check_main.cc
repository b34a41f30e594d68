// dyscosim-check: the `dyscosim check` command as a standalone executable.
#include "check_command.h"

int
main(int argc, char** argv)
{
    return dysco::verify::RunCheckCommand(argc, argv);
}
