#include "progress.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace dyscosim
{

Progress::Progress(std::ostream& out, double stopS, bool tty)
    : m_out(out)
    , m_stopS(stopS)
    , m_tty(tty)
{
}

bool
Progress::IsTerminal(int fd)
{
    return isatty(fd) == 1;
}

void
Progress::Update(double simS, double wallS)
{
    double fraction = m_stopS > 0 ? std::clamp(simS / m_stopS, 0.0, 1.0) : 1.0;
    char line[160];
    if (m_tty)
    {
        int percent = int(fraction * 100);
        if (percent == m_lastPercent)
        {
            return;
        }
        m_lastPercent = percent;
        constexpr int kWidth = 30;
        int filled = int(fraction * kWidth);
        std::string bar(size_t(filled), '#');
        bar.resize(kWidth, '.');
        std::snprintf(line, sizeof(line), "\r[%s] %3d%%  %.2f / %.2f s simulated, %.1f s wall",
                      bar.c_str(), percent, simS, m_stopS, wallS);
        m_out << line << std::flush;
        return;
    }
    int tenth = int(fraction * 10);
    if (tenth > m_lastTenth && tenth < 10)
    {
        m_lastTenth = tenth;
        std::snprintf(line, sizeof(line), "progress: %3d%%  %.2f / %.2f s simulated, %.1f s wall",
                      tenth * 10, simS, m_stopS, wallS);
        m_out << line << "\n" << std::flush;
    }
}

void
Progress::Finish(double simS, double wallS)
{
    if (m_tty)
    {
        Update(simS, wallS);
        m_out << "\n";
    }
    char line[160];
    std::snprintf(line, sizeof(line), "progress: done  %.2f s simulated in %.1f s wall", simS,
                  wallS);
    m_out << line << "\n" << std::flush;
}

} // namespace dyscosim
