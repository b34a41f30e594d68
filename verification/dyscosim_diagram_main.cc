// dyscosim-diagram: the `dyscosim diagram` command as a standalone executable.
#include "diagram_command.h"

int
main(int argc, char** argv)
{
    return dysco::verify::RunDiagramCommand(argc, argv);
}
