// What a run produced, in plain data: per-session delivery records, agent and middlebox
// counters. The runner fills it from ns-3 objects; the check, summary.json and
// sessions.csv are computed from it alone, so they are testable without a simulator.
#ifndef DYSCOSIM_RUN_RESULT_H
#define DYSCOSIM_RUN_RESULT_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dyscosim
{

struct SessionResult
{
    uint64_t streamId = 0;
    std::string from;
    std::string to;
    double startS = 0;           ///< when its sender started
    uint64_t bytesRequested = 0; ///< the scenario's bytes per session
    uint64_t bytesWritten = 0;   ///< accepted by the sender's socket
    uint64_t bytesDelivered = 0; ///< read by the receiver, stream-id header excluded
    int64_t firstMismatch = -1;  ///< stream offset of the first wrong byte; -1 if none
    bool accepted = false;       ///< the receiver accepted its connection (stream id read)
    bool closed = false;         ///< the receiver saw the sender's FIN
    bool reset = false;          ///< the connection ended with an error (e.g. RST)
    double closeTimeS = -1;      ///< when closed, or -1

    /// Everything requested arrived, intact, and the stream was closed.
    bool Completed() const
    {
        return closed && firstMismatch < 0 && bytesDelivered == bytesRequested &&
               bytesWritten == bytesRequested;
    }
};

struct AgentResult
{
    std::string node;
    uint64_t sessionsLeft = 0; ///< session state still held after the run
    std::map<std::string, uint64_t> counters;
};

struct MiddleboxResult
{
    std::string node;
    std::string kind;
    std::map<std::string, uint64_t> counters;
};

struct RunResult
{
    std::string scenario;
    uint32_t seed = 1;
    bool quick = false;
    double simTimeS = 0;
    double wallTimeS = 0;
    std::vector<SessionResult> sessions;
    std::vector<AgentResult> agents;
    std::vector<MiddleboxResult> middleboxes;
    /// Receiver connections no sender accounts for (unknown or repeated stream id), in words.
    std::vector<std::string> strayStreams;
};

} // namespace dyscosim

#endif
