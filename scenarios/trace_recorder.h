// Records a run's trace in the checker's format (verification/README.md, version 1) from the
// trace sources of the ns-3 objects, so the checker sees what the endpoints and agents did:
//   S, T, G, C  the endpoints' TCP segments (DyscoAgent "LocalSegment": leaving the local
//               stack before the agent's rewrite, arriving after it) and their closes;
//   W, R        the stream applications' writes and reads (Tx/Read/Write sources), reads cut
//               at the writers' boundaries (StreamPieces);
//   X           the edit of a content modifier on the session's chain (stream_edits.h), with
//               its delta declared in the S record;
//   A F L P M   the agents' protocol events (DyscoAgent "AgentEvent"), see
//               trace_recorder_agent.cc.
// Session ids are the scenario's stream ids; node indices are the scenario's. Nothing is
// connected, so nothing costs anything, unless a recorder is installed.
#ifndef DYSCOSIM_TRACE_RECORDER_H
#define DYSCOSIM_TRACE_RECORDER_H

#include "core/agent.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "run_context.h"
#include "trace_pieces.h"
#include "trace_writer.h"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dyscosim
{

class TraceRecorder
{
public:
    /// Creates `path` and writes the header; throws std::runtime_error if it cannot.
    TraceRecorder(RunContext& ctx, const std::string& path);
    ~TraceRecorder();
    TraceRecorder(const TraceRecorder&) = delete;
    TraceRecorder& operator=(const TraceRecorder&) = delete;

    /// Connects to every agent and stream application. Call once the applications exist.
    void Install();
    /// Reports the pieces receivers read only in part and writes the end record.
    /// False on an I/O error (see Error()).
    bool Finish();
    const std::string& Error() const { return m_writer.Error(); }
    uint64_t Records() const { return m_writer.Records(); }

private:
    /// What the recorder keeps per declared session.
    struct Session
    {
        bool declared = false;
        uint16_t node[2] = {0, 0};           ///< client, server
        dysco::FiveTuple tuple;              ///< client -> server
        bool finSent[2] = {false, false};    ///< the endpoint's TCP sent its FIN
        bool peerFin[2] = {false, false};    ///< a FIN of the peer arrived (maybe out of order)
        uint32_t peerFinEnd[2] = {0, 0};     ///< the sequence number after that FIN
        bool peerClosed[2] = {false, false}; ///< the peer's FIN was taken in order
        bool closed[2] = {false, false};
        StreamPieces stream[2]; ///< client -> server, server -> client
        uint16_t modifier = 0;  ///< the content modifier's node, when stream[0] is edited
    };
    /// Per reconfiguration (session, rid): what the left anchor's later events mean.
    struct Reconfig
    {
        bool locked = false;
        uint32_t cancelReason = 0; ///< 2 new path failed, 4 session closed; 0 no cancel
    };
    struct NodeSink
    {
        TraceRecorder* recorder;
        uint16_t node;
    };
    struct SenderSink
    {
        TraceRecorder* recorder;
        uint32_t sid;
    };

    static uint64_t Now();
    std::optional<uint16_t> NodeOf(uint32_t address) const;
    /// The session a five-tuple (either orientation) belongs to, declared; 0 if none.
    uint32_t SessionOf(const dysco::FiveTuple& t) const;
    /// Writes the S record of stream `sid` with its client -> server tuple (once).
    void Declare(uint32_t sid, const dysco::FiveTuple& tuple);
    /// Declares `sid` from its sender's socket if its SYN was not seen; false if impossible.
    bool EnsureDeclared(uint32_t sid);
    /// A session the trace leaves out (a SOCKS-like request meant to fail).
    bool Untraced(uint32_t sid) const;

    // endpoints (trace_recorder.cc)
    static void OnSegment(NodeSink* sink, dysco::Direction dir, const std::vector<uint8_t>& p);
    void Segment(uint16_t node, dysco::Direction dir, const std::vector<uint8_t>& packet);
    void Close(Session& s, uint32_t sid, int end, dysco::verify::CloseHow how);
    /// The endpoint's socket reported the connection's end (peer FIN, or an error).
    void SocketClosed(uint32_t sid, int end, bool error);
    static void OnSenderClosed(SenderSink* sink, bool error);
    static void OnReceiverClosed(TraceRecorder* r, const ns3::DyscoStreamRecord& record);
    static void OnSenderTx(SenderSink* sink, ns3::Ptr<const ns3::Packet> packet);
    static void OnSenderRead(SenderSink* sink, const uint8_t* data, uint32_t n);
    /// Records a receiver's events once (`connected`: the receivers already done).
    void ConnectReceiver(ns3::Ptr<ns3::DyscoStreamReceiver> rx,
                         std::vector<ns3::DyscoStreamReceiver*>* connected);
    static void OnReceiverRead(TraceRecorder* r, ns3::Ptr<ns3::Socket> socket, const uint8_t* data,
                               uint32_t n);
    static void OnReceiverWrite(TraceRecorder* r, ns3::Ptr<ns3::Socket> socket, const uint8_t* data,
                                uint32_t n);
    uint32_t SocketSession(ns3::Ptr<ns3::Socket> socket);
    void Write(uint32_t sid, int dir, const uint8_t* data, uint32_t n);
    void Read(uint32_t sid, int dir, const uint8_t* data, uint32_t n);

    // agents (trace_recorder_agent.cc)
    static void OnAgentEvent(NodeSink* sink, const dysco::AgentEvent& e);
    void AgentEvent(uint16_t node, const dysco::AgentEvent& e);
    /// Reconfiguration id in the trace: left anchor's node << 20 | its request id.
    std::optional<uint32_t> Rid(const dysco::AgentEvent& e) const;
    void Request(uint16_t node, uint32_t sid, uint32_t rid, const dysco::AgentEvent& e);
    void Phase(uint16_t node, uint32_t sid, uint32_t rid, const dysco::AgentEvent& e);
    void Teardown(uint16_t node, uint32_t sid, uint32_t rid, const dysco::AgentEvent& e);
    void Control(uint16_t node, uint32_t sid, const dysco::AgentEvent& e);
    /// The agents from `node` along the session's current chain to `rightNode`.
    std::vector<uint16_t> OldPath(uint16_t node, const dysco::Session& s, uint16_t rightNode) const;
    bool Requested(uint32_t sid, uint32_t rid) const;

    RunContext& m_ctx;
    dysco::verify::TraceWriter m_writer;
    std::unordered_map<uint32_t, uint16_t> m_nodeOf; ///< address -> node
    std::vector<Session> m_sessions;                 ///< index = stream id
    std::unordered_map<dysco::FiveTuple, uint32_t, dysco::FiveTupleHasher> m_byTuple;
    /// Receiver sockets -> session; the Ptr keeps a socket (and its address) from reuse.
    std::unordered_map<ns3::Socket*, std::pair<ns3::Ptr<ns3::Socket>, uint32_t>> m_sockets;
    std::unordered_map<uint64_t, Reconfig> m_reconfigs; ///< sid << 32 | rid
    std::vector<std::unique_ptr<NodeSink>> m_nodeSinks;
    std::vector<std::unique_ptr<SenderSink>> m_senderSinks;
    std::vector<uint8_t> m_buf; ///< packet bytes (reused)
    bool m_finished = false;
};

} // namespace dyscosim

#endif
