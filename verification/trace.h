// Trace events: what endpoints, agents and middleboxes of a run report, in the form the
// checker reads back. One Event per trace record; the text form is in README.md.
//
// The structs are compact on purpose (about 90 bytes per event) so a 1 M event trace fits
// in memory together with the checker's per-session index.
#ifndef DYSCO_VERIFY_TRACE_H
#define DYSCO_VERIFY_TRACE_H

#include "core/five_tuple.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

namespace dysco
{
namespace verify
{

constexpr int kTraceVersion = 1;
constexpr const char* kTraceFormat = "dyscosim-trace";

constexpr uint16_t kNoNode = 0xFFFF;
constexpr size_t kMaxPathNodes = 8;
constexpr size_t kMaxSackBlocks = 4;

/// Record kinds; the value is the letter that starts the record's kind field.
enum class EventKind : char
{
    kSession = 'S',         ///< session declaration (must precede every event of the session)
    kWrite = 'W',           ///< the sending application wrote a range of its stream
    kRead = 'R',            ///< the receiving application read one piece of its stream
    kEdit = 'X',            ///< a content-changing middlebox replaced a range of the stream
    kSegmentSent = 'T',     ///< an endpoint's TCP sent a segment
    kSegmentReceived = 'G', ///< an endpoint's TCP received a segment
    kLock = 'L',            ///< lock state of a subsession changed (at its left agent)
    kPhase = 'P',           ///< reconfiguration phase change at an anchor
    kControl = 'M',         ///< control message sent or received by an agent
    kAlloc = 'A',           ///< an agent created state for the session
    kFree = 'F',            ///< an agent freed all its state for the session
    kClose = 'C',           ///< an endpoint's TCP connection of the session ended
};

/// Stream direction, named from the session's client (the SYN sender).
enum class Direction : uint8_t
{
    kClientToServer = 0,
    kServerToClient = 1,
};

/// TCP flag bits as recorded (not the wire layout).
namespace tcpflag
{
constexpr uint8_t kSyn = 1;
constexpr uint8_t kAck = 2;
constexpr uint8_t kFin = 4;
constexpr uint8_t kRst = 8;
constexpr uint8_t kPsh = 16;
} // namespace tcpflag

enum class LockState : uint8_t
{
    kUnlocked = 0,
    kLockPending = 1,
    kLocked = 2,
};

/// Reconfiguration phases as the anchors record them (paper §3.1-3.5).
enum class Phase : uint8_t
{
    kRequest = 0,   ///< left anchor sent requestLock (record carries old and new path)
    kLocked,        ///< left anchor received ackLock: the segment is locked
    kDenied,        ///< left anchor received nackLock: another request holds the segment
    kLockFailed,    ///< requestLock retries exhausted (old path unusable for control)
    kNewPathUp,     ///< new-path SYN handshake complete: two-path phase begins
    kNewPathFailed, ///< new path could not be set up (paper §3.5)
    kTeardown,      ///< an anchor tears down the old path (record carries its variables)
    kDone,          ///< reconfiguration succeeded
    kAborted,       ///< reconfiguration abandoned after cancelLock / ackCancel
    kClosed,        ///< the session ended (FIN/RST) while the reconfiguration was under way
};

enum class ControlMsg : uint8_t
{
    kRequestLock = 0,
    kAckLock,
    kNackLock,
    kCancelLock,
    kAckCancel,
    kTrigger,
    kTerminate,
    kAckTerminate,
    kStateExport,
    kStateImport,
};

enum class CloseHow : uint8_t
{
    kFin = 0,
    kRst = 1,
    kTimeout = 2,
};

/// Session flags (SessionDecl::flags).
namespace sessionflag
{
/// The scenario resets this session on purpose: RST/timeout closes are clean for it.
constexpr uint8_t kResetExpected = 1;
} // namespace sessionflag

struct SessionDecl
{
    FiveTuple tuple;           ///< the session's own five-tuple, client to server
    uint16_t server = 0;       ///< server endpoint node (the client is Event::node)
    uint8_t flags = 0;         ///< sessionflag bits
    int64_t delta[2] = {0, 0}; ///< declared net stream-length change per Direction
};

/// W and R records: a range of a stream, with the FNV-1a 64 hash of its bytes.
struct StreamRange
{
    uint64_t offset = 0;
    uint32_t length = 0;
    uint64_t hash = 0;
};

/// X record: in direction dir, the sender's bytes [offset, offset + removed) were replaced
/// by `inserted` bytes with hash `hash` (offset and offset + removed on write boundaries).
struct Edit
{
    Direction dir = Direction::kClientToServer;
    uint64_t offset = 0;
    uint64_t removed = 0;
    uint32_t inserted = 0;
    uint64_t hash = 0;
};

struct SackBlock
{
    uint32_t left = 0;
    uint32_t right = 0;
};

/// T and G records: one TCP segment at an endpoint (numbers as on the wire, host order).
struct Segment
{
    uint8_t flags = 0; ///< tcpflag bits
    uint8_t sackCount = 0;
    bool hasTimestamp = false;
    uint32_t seq = 0;
    uint32_t ack = 0;
    uint32_t length = 0; ///< payload bytes
    uint32_t window = 0; ///< unscaled window field
    uint32_t tsVal = 0;
    uint32_t tsEcr = 0;
    std::array<SackBlock, kMaxSackBlocks> sack{};
};

/// L record: the subsession from Event::node to `right` changed lock state.
struct LockChange
{
    uint16_t right = 0;
    LockState state = LockState::kUnlocked;
    uint16_t requestor = 0; ///< left anchor of the request this state belongs to
    uint32_t rid = 0;       ///< reconfiguration id of that request
};

/// P record of every phase except request and teardown.
struct PhaseChange
{
    uint32_t rid = 0;
    Phase phase = Phase::kLocked;
};

/// P record of phase request: the segment's old path and the new path, anchors included.
struct ReconfigRequest
{
    uint32_t rid = 0;
    uint8_t oldCount = 0;
    uint8_t newCount = 0;
    std::array<uint16_t, kMaxPathNodes> oldPath{};
    std::array<uint16_t, kMaxPathNodes> newPath{};
};

/// P record of phase teardown: the anchor's two-path variables (paper §3.4) when it tore
/// down the old path, and the delta it adds to the seq of packets arriving on the new path.
struct Teardown
{
    uint32_t rid = 0;
    uint32_t oldSent = 0;
    uint32_t oldSentAcked = 0;
    uint32_t oldRcvd = 0;
    uint32_t oldRcvdAcked = 0;
    uint32_t firstNewRcvd = 0;
    bool hasFirstNewRcvd = false; ///< false: nothing received on the new path yet
    bool finOnOld = false;        ///< a FIN arrived on the old path
    int32_t delta = 0;
};

/// M record.
struct Control
{
    bool sent = true; ///< true: tx, false: rx
    ControlMsg msg = ControlMsg::kRequestLock;
    uint16_t peer = 0; ///< the agent it was sent to / received from
    uint32_t rid = 0;
};

/// C record.
struct Close
{
    CloseHow how = CloseHow::kFin;
};

using Payload = std::variant<std::monostate, SessionDecl, StreamRange, Edit, Segment, LockChange,
                             PhaseChange, ReconfigRequest, Teardown, Control, Close>;

struct Event
{
    uint64_t timeNs = 0;
    uint32_t session = 0; ///< session id as declared by its S record
    uint16_t node = 0;    ///< index into the header's node list
    EventKind kind = EventKind::kSession;
    Payload payload;

    /// Phase of a P record, whichever payload it carries.
    Phase GetPhase() const;
    /// Reconfiguration id of an L, P or M record (0 for other kinds).
    uint32_t Rid() const;
};

/// A whole trace in memory. Event ids are 1-based record numbers: event id k is events[k-1].
struct Trace
{
    nlohmann::json header;
    std::vector<std::string> nodes;
    std::vector<Event> events;
    std::vector<uint32_t> lines; ///< line number of each event in the file (1-based)
    std::string source;          ///< file name, for messages

    const std::string& NodeName(uint16_t node) const;
    uint64_t EventId(size_t index) const { return index + 1; }
    uint32_t Line(size_t index) const { return index < lines.size() ? lines[index] : 0; }
};

// Names used in the text form and in explanations.
const char* KindName(EventKind k);
const char* DirectionName(Direction d);  ///< "c2s" / "s2c"
const char* DirectionWords(Direction d); ///< "client->server" / "server->client"
const char* LockStateName(LockState s);
const char* PhaseName(Phase p);
const char* ControlMsgName(ControlMsg m);
const char* CloseHowName(CloseHow h);
std::string TcpFlagsText(uint8_t flags);       ///< "SA", "A", "FA"; "-" for none
std::string FiveTupleText(const FiveTuple& t); ///< "10.0.0.1:49152>10.0.1.1:80"
std::string TimeText(uint64_t ns);             ///< "1.250000000"

// Convenience constructors for bindings and tests.
Event MakeSession(uint64_t t, uint32_t sid, uint16_t client, uint16_t server,
                  const FiveTuple& tuple, int64_t deltaC2s = 0, int64_t deltaS2c = 0,
                  uint8_t flags = 0);
Event MakeRange(EventKind writeOrRead, uint64_t t, uint32_t sid, uint16_t node, uint64_t offset,
                const uint8_t* data, uint32_t length);
Event MakeRangeHashed(EventKind writeOrRead, uint64_t t, uint32_t sid, uint16_t node,
                      uint64_t offset, uint32_t length, uint64_t hash);
Event MakeSegment(EventKind sentOrReceived, uint64_t t, uint32_t sid, uint16_t node,
                  const Segment& s);
Event MakeLock(uint64_t t, uint32_t sid, uint16_t node, uint16_t right, LockState state,
               uint16_t requestor, uint32_t rid);
Event MakePhase(uint64_t t, uint32_t sid, uint16_t node, uint32_t rid, Phase phase);
Event MakeRequest(uint64_t t, uint32_t sid, uint16_t node, uint32_t rid,
                  const std::vector<uint16_t>& oldPath, const std::vector<uint16_t>& newPath);
Event MakeTeardown(uint64_t t, uint32_t sid, uint16_t node, const Teardown& td);
Event MakeControl(uint64_t t, uint32_t sid, uint16_t node, bool sent, ControlMsg msg, uint16_t peer,
                  uint32_t rid);
Event MakeSimple(EventKind allocOrFree, uint64_t t, uint32_t sid, uint16_t node);
Event MakeClose(uint64_t t, uint32_t sid, uint16_t node, CloseHow how);
Event MakeEdit(uint64_t t, uint32_t sid, uint16_t node, const Edit& edit);

} // namespace verify
} // namespace dysco

#endif
