// `dyscosim check TRACE [--full] [--seed N] [--sample N] [--json] [--dump [--session S]]`
//
// argv[0] is the command name ("check" when dispatched from dyscosim, or the program name of
// the standalone dyscosim-check); argv[1..] are the arguments above.
// Exit codes (DESIGN.md): 0 every property holds, 1 a property is violated (explained on
// stdout), 2 bad input or usage (message on stderr; nothing is checked).
#ifndef DYSCO_VERIFY_CHECK_COMMAND_H
#define DYSCO_VERIFY_CHECK_COMMAND_H

namespace dysco
{
namespace verify
{

int RunCheckCommand(int argc, char** argv);

} // namespace verify
} // namespace dysco

#endif
