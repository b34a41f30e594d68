// `dyscosim diagram TRACE [--session S] [--out FILE.svg] [--mark EVENT_ID,...]
//                         [--mark-violations]`
//
// Draws one session's reconfiguration as a message sequence chart (SVG), in the manner of the
// paper's Figures 4 and 5 (diagram_model.h says what is drawn). Without --session: the first
// session with reconfiguration records (or of the first marked event / violation). Without
// --out: the SVG goes to stdout. --mark draws the given events (ids as `check` prints them)
// in red; --mark-violations runs the checker and marks each violation's offending and related
// events. argv[0] is the command name ("diagram", or the standalone program's name).
// Exit codes: 0 written; 2 bad input or usage (message on stderr; nothing written).
#ifndef DYSCO_VERIFY_DIAGRAM_COMMAND_H
#define DYSCO_VERIFY_DIAGRAM_COMMAND_H

namespace dysco
{
namespace verify
{

int RunDiagramCommand(int argc, char** argv);

} // namespace verify
} // namespace dysco

#endif
