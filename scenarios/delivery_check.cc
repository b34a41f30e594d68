#include "delivery_check.h"

#include <cstdio>

namespace dyscosim
{

namespace
{

std::string
Describe(const SessionResult& s)
{
    return "no_data_loss: session " + std::to_string(s.streamId) + " (" + s.from + " -> " + s.to +
           "): ";
}

std::string
Seconds(double s)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g s", s);
    return buf;
}

/// Why a session's delivery is wrong, or "" if it is exact and complete.
std::string
Violation(const SessionResult& s, double stopS)
{
    std::string counts = " (" + std::to_string(s.bytesRequested) + " requested, " +
                         std::to_string(s.bytesWritten) + " written, " +
                         std::to_string(s.bytesDelivered) + " delivered)";
    if (s.firstMismatch >= 0)
    {
        return "first wrong byte at stream offset " + std::to_string(s.firstMismatch) + counts;
    }
    if (s.bytesDelivered > s.bytesWritten)
    {
        return "extra bytes from stream offset " + std::to_string(s.bytesWritten) + counts;
    }
    if (s.closed && s.bytesDelivered < s.bytesRequested)
    {
        return "stream closed at offset " + std::to_string(s.bytesDelivered) + counts;
    }
    if (s.reset)
    {
        return "connection reset at stream offset " + std::to_string(s.bytesDelivered) + counts;
    }
    if (!s.closed)
    {
        std::string why = s.accepted ? "stream ends at offset " + std::to_string(s.bytesDelivered)
                                     : "no connection reached the receiver";
        return "not completed by the stop time " + Seconds(stopS) + ": " + why + counts;
    }
    return "";
}

} // namespace

CheckOutcome
CheckDelivery(const RunResult& r)
{
    CheckOutcome out;
    for (const auto& s : r.sessions)
    {
        std::string v = Violation(s, r.simTimeS);
        if (!v.empty())
        {
            out.violations.push_back(Describe(s) + v);
        }
    }
    for (const auto& stray : r.strayStreams)
    {
        out.violations.push_back("no_data_loss: " + stray);
    }
    out.pass = out.violations.empty();
    out.properties = {{"no_data_loss", out.pass ? "pass" : "fail"},
                      {"seq_ack_correct", "not_checked"},
                      {"lock_exclusive", "not_checked"},
                      {"reconfig_terminates", "not_checked"},
                      {"clean_termination", "not_checked"}};
    return out;
}

} // namespace dyscosim
