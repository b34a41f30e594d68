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

std::string
ReverseCounts(const SessionResult& s)
{
    return " (" + std::to_string(s.reverseRequested) + " requested, " +
           std::to_string(s.reverseWritten) + " written, " + std::to_string(s.reverseDelivered) +
           " delivered)";
}

/// A session the scenario closed early (FIN or RST injected while its streams ran): each
/// direction must hold exactly a prefix of its stream; a direction ended by a FIN all of
/// what was written before it, a direction nobody cut all of it; and both ends closed.
std::string
EarlyEndViolation(const SessionResult& s, const std::string& counts, double stopS)
{
    const std::string& a = s.injected;
    const bool rst = a == "rst_client" || a == "rst_server";
    const bool forwardCut = a != "fin_server";
    const bool reverseCut = a != "fin_client";
    const std::string why = " after " + a + " at " + Seconds(s.injectedAtS);
    if (!s.closed && !s.reset)
    {
        return "the server's end did not close by the stop time " + Seconds(stopS) + why + counts;
    }
    if (!s.clientClosed && !s.clientReset)
    {
        return "the client's end did not close by the stop time " + Seconds(stopS) + why +
               ReverseCounts(s);
    }
    if (rst)
    {
        return ""; // a reset may lose what was in flight: a prefix each way is all we ask
    }
    if (s.reset || s.clientReset)
    {
        return "connection reset" + why + counts;
    }
    const uint64_t forwardWanted = s.Edited(forwardCut ? s.bytesWritten : s.bytesRequested);
    if (s.bytesDelivered != forwardWanted || s.bytesWritten > s.bytesRequested)
    {
        return "stream closed at offset " + std::to_string(s.bytesDelivered) + why + counts;
    }
    const uint64_t reverseWanted = reverseCut ? s.reverseWritten : s.reverseRequested;
    if (s.reverseDelivered != reverseWanted)
    {
        return "reverse stream closed at offset " + std::to_string(s.reverseDelivered) + why +
               ReverseCounts(s);
    }
    return "";
}

/// A session whose SOCKS-like request must fail: the expected status, no stream delivered,
/// and the proxy closed the client's connection.
std::string
SocksRefusalViolation(const SessionResult& s)
{
    if (s.socksStatus != s.socksExpected)
    {
        return "the SOCKS-like proxy replied status " + std::to_string(s.socksStatus) +
               ", expected " + std::to_string(s.socksExpected);
    }
    if (s.accepted || s.bytesDelivered > 0)
    {
        return "a refused SOCKS-like request reached the server";
    }
    if (!s.clientClosed || s.clientReset)
    {
        return "the proxy did not close the refused connection cleanly";
    }
    return "";
}

/// Why a session's delivery is wrong, or "" if it is exact and complete.
std::string
Violation(const SessionResult& s, double stopS)
{
    if (s.socksExpected >= 0)
    {
        return SocksRefusalViolation(s);
    }
    std::string counts =
        " (" + std::to_string(s.bytesRequested) + " requested, " + std::to_string(s.bytesWritten) +
        " written, " + std::to_string(s.bytesDelivered) + " delivered" +
        (s.editDelta != 0 ? ", edit delta " + std::to_string(s.editDelta) : "") + ")";
    if (s.firstMismatch >= 0)
    {
        return "first wrong byte at stream offset " + std::to_string(s.firstMismatch) + counts;
    }
    if (s.reverseMismatch >= 0)
    {
        return "first wrong reverse byte at stream offset " + std::to_string(s.reverseMismatch) +
               ReverseCounts(s);
    }
    if (s.bytesDelivered > s.Edited(s.bytesWritten))
    {
        return "extra bytes from stream offset " + std::to_string(s.Edited(s.bytesWritten)) +
               counts;
    }
    if (s.reverseDelivered > s.reverseWritten)
    {
        return "extra reverse bytes from stream offset " + std::to_string(s.reverseWritten) +
               ReverseCounts(s);
    }
    if (!s.injected.empty() && s.cutShort)
    {
        return EarlyEndViolation(s, counts, stopS);
    }
    if (s.closed && s.bytesDelivered < s.Edited(s.bytesRequested))
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
    if (s.reverseRequested > 0)
    {
        if (s.clientReset)
        {
            return "connection reset at reverse stream offset " +
                   std::to_string(s.reverseDelivered) + ReverseCounts(s);
        }
        if (s.clientClosed && s.reverseDelivered < s.reverseRequested)
        {
            return "reverse stream closed at offset " + std::to_string(s.reverseDelivered) +
                   ReverseCounts(s);
        }
        if (!s.clientClosed || s.reverseDelivered < s.reverseRequested)
        {
            return "not completed by the stop time " + Seconds(stopS) +
                   ": reverse stream ends at offset " + std::to_string(s.reverseDelivered) +
                   ReverseCounts(s);
        }
    }
    return "";
}

/// Every reconfiguration that started ended (succeeded, or aborted with its segment
/// unlocked) by the stop time.
std::vector<std::string>
UnfinishedReconfigurations(const RunResult& r)
{
    std::vector<std::string> out;
    for (const auto& rc : r.reconfigurations)
    {
        if (rc.outcome == "unfinished")
        {
            out.push_back("reconfig_terminates: reconfiguration " + std::to_string(rc.requestId) +
                          " of " + rc.leftAnchor + " (session " + std::to_string(rc.streamId) +
                          ", started at " + Seconds(rc.startS) + ") did not end by the stop time " +
                          Seconds(r.simTimeS));
        }
    }
    if (out.empty() && r.reconfigurationsActive > 0)
    {
        out.push_back("reconfig_terminates: " + std::to_string(r.reconfigurationsActive) +
                      " reconfigurations still running at the agents at the stop time " +
                      Seconds(r.simTimeS));
    }
    return out;
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
    const bool delivered = out.violations.empty();
    std::string terminates = "not_checked";
    if (!r.reconfigurations.empty() || r.reconfigurationsActive > 0)
    {
        std::vector<std::string> unfinished = UnfinishedReconfigurations(r);
        terminates = unfinished.empty() ? "pass" : "fail";
        out.violations.insert(out.violations.end(), unfinished.begin(), unfinished.end());
    }
    out.pass = out.violations.empty();
    out.properties = {{"no_data_loss", delivered ? "pass" : "fail"},
                      {"seq_ack_correct", "not_checked"},
                      {"lock_exclusive", "not_checked"},
                      {"reconfig_terminates", terminates},
                      {"clean_termination", "not_checked"}};
    return out;
}

} // namespace dyscosim
