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
    double connectS = -1;        ///< when the client's connect() completed, or -1
    double clientCloseS = -1;    ///< when the client's connection ended, or -1

    // The reverse stream (server -> client), when the traffic entry has reverse_bytes.
    uint64_t reverseRequested = 0;
    uint64_t reverseWritten = 0;   ///< accepted by the server's socket
    uint64_t reverseDelivered = 0; ///< read by the client
    int64_t reverseMismatch = -1;  ///< stream offset of the first wrong reverse byte
    bool clientClosed = false;     ///< the client's connection ended normally
    bool clientReset = false;      ///< the client's connection ended with an error

    /// A FIN or RST the scenario injected ("fin_client", ...; empty if none fired), and when.
    std::string injected;
    double injectedAtS = -1;
    bool cutShort = false; ///< the injection cut a stream (it was not finished yet)
    /// Through a SOCKS-like proxy: the reply status the client got (-1: none), and the
    /// failure status the scenario expects (-1: success, the stream follows).
    int socksStatus = -1;
    int socksExpected = -1;
    /// A content modifier's declared change of the forward stream's length (insert - remove).
    int64_t editDelta = 0;

    /// The forward bytes a receiver reads when `n` content bytes were sent and edited.
    uint64_t Edited(uint64_t n) const { return uint64_t(int64_t(n) + editDelta); }

    /// Everything requested arrived, intact, in both directions, and the stream was closed.
    bool Completed() const
    {
        const bool forward = closed && firstMismatch < 0 &&
                             bytesDelivered == Edited(bytesRequested) &&
                             bytesWritten == bytesRequested;
        const bool reverse = reverseRequested == 0 || (clientClosed && reverseMismatch < 0 &&
                                                       reverseDelivered == reverseRequested &&
                                                       reverseWritten == reverseRequested);
        return forward && reverse;
    }
};

/// One reconfiguration, from its left anchor's events (or a request its agent refused).
struct ReconfigRecord
{
    std::string leftAnchor; ///< node name
    uint32_t requestId = 0; ///< the left anchor's id; 0 if refused before it got one
    uint64_t streamId = 0;  ///< 0 if the session is not one of the scenario's streams
    std::string rightAnchor;
    std::vector<std::string> middleboxes; ///< the new path (empty: a deletion)
    int entry = -1;       ///< index into $.reconfigurations; -1 if the scenario did not ask
    uint32_t attempt = 0; ///< 1 first try, 2 first retry, ...; 0 if unknown
    double triggerS = -1; ///< when the scenario asked (Reconfigure or RequestDeletion)
    double startS = -1;   ///< requestLock sent
    double endS = -1;     ///< old path torn down at both anchors, or aborted
    std::string outcome;  ///< "succeeded", "aborted", "refused" or "unfinished"
    std::string reason;   ///< aborted: "nacked", "new_path_failed", "control_lost",
                          ///< "session_closed", "lock_timeout"; refused: "busy", "no_session"
    bool hasSeq = false;  ///< a seq_offset box had shifted numbers of the session:
    uint32_t seqAtStart[2] = {0, 0}; ///< its latest [client->server, server->client] numbers

    /// Trigger (or start) to the end, in milliseconds; -1 if it has not ended.
    double DurationMs() const
    {
        const double from = triggerS >= 0 ? triggerS : startS;
        return endS >= 0 && from >= 0 ? (endS - from) * 1000 : -1;
    }
};

/// One state migration (§3.4, Figure 14) with the time of each phase (-1: not reached).
struct MigrationResult
{
    uint32_t id = 0;
    uint64_t streamId = 0;
    int entry = -1;            ///< index into $.reconfigurations
    std::string from;          ///< the replaced instance
    std::string to;            ///< the new instance
    std::string mode;          ///< "buffered" or "unbuffered"
    std::string outcome;       ///< "migrated", "state_refused", "aborted", "refused", "unfinished"
    std::string error;         ///< why the import (or the request) was refused
    double triggerS = -1;      ///< the scenario asked
    double reconfiguredS = -1; ///< the left anchor's Reconfigure
    double newPathUpS = -1;    ///< the left anchor entered its two-path phase
    double exportedS = -1;     ///< the old instance exported the state
    double installedS = -1;    ///< the new instance imported (or refused) it
    double endedS = -1;        ///< old path torn down (traffic moved), or the end of a refusal
    uint64_t stateBytes = 0;
    uint64_t reordered = 0; ///< data segments of the session its endpoints got out of order
    double maxGapMs = 0;    ///< longest pause in the session's data arrivals while it migrated

    double DurationMs() const { return endedS >= 0 ? (endedS - triggerS) * 1000 : -1; }
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

/// Bytes delivered so far (both directions) per traffic entry, at one instant.
struct GoodputSample
{
    double timeS = 0;
    std::vector<uint64_t> bytesPerTraffic;
    /// Per proxy node (in node order): relay CPU seconds and bytes relayed so far.
    std::vector<double> proxyBusyS;
    std::vector<uint64_t> proxyRelayed;
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
    /// In start order (refused requests at their trigger time).
    std::vector<ReconfigRecord> reconfigurations;
    std::vector<MigrationResult> migrations; ///< in start order
    /// Reconfigurations still running at some agent when the run stopped.
    uint64_t reconfigurationsActive = 0;
    /// Failure injection: frames dropped by kind ("control", "data", "down") and FIN/RST
    /// injections fired.
    std::map<std::string, uint64_t> failures;
    /// Periodic samples of delivered bytes (goodput.csv), in time order.
    std::vector<GoodputSample> goodput;
    /// More CSV files of the run next to summary.json: file name -> contents.
    std::map<std::string, std::string> extraCsv;
};

} // namespace dyscosim

#endif
