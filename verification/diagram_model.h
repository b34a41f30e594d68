// What a message sequence chart of one session shows (`dyscosim diagram`), in the manner of
// the paper's Figures 4 and 5, extracted from a trace: one lifeline per node of the session,
// control messages as arrows from their tx to their rx record, lock states and phases as
// notes and bars on the lifelines, path switches as bands across them, and marked events.
// No coordinates here (diagram_layout.h), no SVG (diagram_svg.h).
#ifndef DYSCO_VERIFY_DIAGRAM_MODEL_H
#define DYSCO_VERIFY_DIAGRAM_MODEL_H

#include "trace.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace dysco
{
namespace verify
{

constexpr uint32_t kNoEvent = 0xFFFFFFFFu;

struct ChartLifeline
{
    uint16_t node = 0;
    std::string name;
    std::string role; ///< "client", "server", "" (a middlebox)
};

/// A control message: tx record to rx record (either may be missing: lost, or sent before
/// the trace starts).
struct ChartMessage
{
    size_t from = 0; ///< lifeline indices
    size_t to = 0;
    ControlMsg msg = ControlMsg::kRequestLock;
    uint32_t rid = 0;
    uint32_t tx = kNoEvent; ///< event indices
    uint32_t rx = kNoEvent;
    bool marked = false;
};

enum class NoteStyle
{
    kLock,      ///< L record
    kPhase,     ///< P record: locked, denied, ...
    kRequest,   ///< P request
    kSuccess,   ///< P done
    kFailure,   ///< P aborted, denied, lockFailed, newPathFailed, closed
    kLifecycle, ///< A, F, C records
    kData,      ///< W, R, X, T, G records (only shown when marked)
};

/// A note on a lifeline at one event.
struct ChartNote
{
    size_t lifeline = 0;
    uint32_t event = kNoEvent;
    NoteStyle style = NoteStyle::kPhase;
    std::string text;
    bool marked = false;
};

/// A lock held or pending on the subsession from a lifeline to its right neighbour, from one
/// L record to the next one of the same subsession (or to the end of the chart).
struct ChartLockBar
{
    size_t lifeline = 0;
    LockState state = LockState::kLockPending;
    uint32_t from = kNoEvent;
    uint32_t to = kNoEvent; ///< kNoEvent: still held at the end
};

enum class BandStyle
{
    kNewPath,  ///< P newPathUp: the new path is set up
    kTeardown, ///< P teardown: an anchor tears the old path down
};

/// A path switch, drawn across the lifelines of a path at one event.
struct ChartBand
{
    uint32_t event = kNoEvent;
    BandStyle style = BandStyle::kNewPath;
    std::vector<size_t> lifelines; ///< the path, in order
    std::string text;
    std::string detail; ///< smaller print after the text (a teardown's variables)
    bool marked = false;
};

struct SequenceChart
{
    uint32_t session = 0;
    std::string title;
    std::vector<ChartLifeline> lifelines;
    std::vector<ChartMessage> messages;
    std::vector<ChartNote> notes;
    std::vector<ChartLockBar> bars;
    std::vector<ChartBand> bands;
    /// Every event the chart draws (indices into Trace::events), in trace order: the rows.
    std::vector<uint32_t> rows;
    std::set<uint32_t> marked;         ///< event indices
    std::vector<std::string> captions; ///< printed under the title (e.g. violations), in red
};

/// Builds the chart of `session`; `marked` are event indices (the caller checked they exist
/// and belong to the session). Returns false if the session has no records.
bool BuildChart(const Trace& trace, uint32_t session, const std::set<uint32_t>& marked,
                SequenceChart* out);

/// The sessions of a trace that have reconfiguration records (L, P or M), in order.
std::vector<uint32_t> ReconfiguredSessions(const Trace& trace);

} // namespace verify
} // namespace dysco

#endif
