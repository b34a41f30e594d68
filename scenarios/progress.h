// Run progress on stderr: a redrawn bar on a terminal, otherwise a plain line per tenth of
// the stop time, so logs of batch jobs stay readable.
#ifndef DYSCOSIM_PROGRESS_H
#define DYSCOSIM_PROGRESS_H

#include <ostream>

namespace dyscosim
{

class Progress
{
public:
    /// `tty` chooses the bar; pass IsTerminal(2) for stderr.
    Progress(std::ostream& out, double stopS, bool tty);

    /// Called as simulated time advances (the runner polls a few hundred times per run).
    void Update(double simS, double wallS);
    /// Ends the bar's line and prints the final line.
    void Finish(double simS, double wallS);

    static bool IsTerminal(int fd);

private:
    std::ostream& m_out;
    double m_stopS;
    bool m_tty;
    int m_lastTenth = 0;
    int m_lastPercent = -1;
};

} // namespace dyscosim

#endif
