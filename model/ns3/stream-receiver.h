// Byte-exact test sink: accepts any number of TCP connections on Local; per connection reads
// the stream's head (its prefix, if SetPrefix registered one, and the 8-byte stream id:
// stream-head.h), then checks every following byte against StreamPatternByte and
// keeps a record per stream. Closes its side when the peer closes, so the session ends with
// FINs in both directions. With reverse bytes (ReverseBytes, or SetReverseBytes per stream)
// it also streams StreamPatternByte(ReverseStreamId(id), offset) back on the connection once
// the stream id arrived, and shuts its send side when that stream is written; ReverseRate
// paces those writes (StreamPacer).
#ifndef DYSCO_STREAM_RECEIVER_H
#define DYSCO_STREAM_RECEIVER_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"
#include "stream-edit.h"
#include "stream-head.h"
#include "stream-pacer.h"

#include <map>
#include <vector>

namespace ns3
{

struct DyscoStreamRecord
{
    uint64_t streamId = 0;
    bool idComplete = false;          ///< the head (prefix and 8-byte stream id) arrived
    size_t prefixBytes = 0;           ///< the head's application prefix
    Address peer;                     ///< the connecting socket's address, as TCP saw it
    uint64_t bytesReceived = 0;       ///< content bytes (stream-id header excluded)
    int64_t firstMismatchOffset = -1; ///< content offset of the first wrong byte; -1 if none
    bool closed = false;              ///< the peer's FIN arrived (normal close)
    bool error = false;               ///< the connection ended with an error (e.g. RST)
    Time acceptTime;
    Time closeTime; ///< when closed or error was set

    uint64_t reverseRequested = 0; ///< bytes to stream back on this connection
    uint64_t reverseWritten = 0;   ///< reverse bytes the socket accepted
    bool reverseShut = false;      ///< the reverse stream ended (written or cut) and FIN queued
    bool cutShort = false;         ///< CloseStream or AbortStream ended it early
    bool abortFellBack = false;    ///< an AbortStream found no unread data and sent a FIN
};

class DyscoStreamReceiver : public Application
{
public:
    static TypeId GetTypeId();
    DyscoStreamReceiver();
    ~DyscoStreamReceiver() override;

    /// One record per accepted connection, in accept order.
    const std::vector<DyscoStreamRecord>& GetRecords() const { return m_records; }
    Ptr<Socket> GetListeningSocket() const { return m_listener; }

    /// Reverse bytes for stream `streamId` (overrides the ReverseBytes attribute).
    void SetReverseBytes(uint64_t streamId, uint64_t bytes) { m_reverseFor[streamId] = bytes; }
    /// Write rate of stream `streamId`'s reverse stream (overrides ReverseRate; 0: unpaced).
    void SetReverseRate(uint64_t streamId, DataRate rate) { m_rateFor[streamId] = rate; }
    /// Stream `streamId` passes a content modifier: check its bytes against `edit`.
    void SetExpectedEdit(uint64_t streamId, const StreamEdit& edit) { m_editFor[streamId] = edit; }
    /// Stream `streamId` starts with `prefix` before its id (DyscoStreamSender::SetPrefix).
    void SetPrefix(uint64_t streamId, std::vector<uint8_t> prefix)
    {
        m_prefixes.Set(streamId, std::move(prefix));
    }
    /// Ends the reverse stream of `streamId` early and sends our FIN (we keep reading).
    /// False if no open connection carries that stream.
    bool CloseStream(uint64_t streamId);
    /// Aborts the connection of `streamId` with a RST, as DyscoStreamSender::Abort does.
    bool AbortStream(uint64_t streamId);

    typedef void (*StreamClosedTracedCallback)(const DyscoStreamRecord& record);
    /// Bytes of one connection as the application reads them from, or writes them to, its
    /// socket (stream-id header included), for content-hashed traces.
    typedef void (*BytesTracedCallback)(Ptr<Socket> socket, const uint8_t* data, uint32_t size);

protected:
    void DoDispose() override;

private:
    struct Connection
    {
        size_t record = 0;
        StreamHead head;
        bool peerClosed = false;
        bool abortPending = false; ///< AbortStream: close at the next unread data
        bool aborting = false;     ///< the aborting Close was issued
        StreamPacer pacer;
        bool tickPending = false;
        bool finDeferred = false;         ///< stream written; FIN once every byte is acknowledged
        const StreamEdit* edit = nullptr; ///< the stream's declared edit, if any
    };

    void StartApplication() override;
    void StopApplication() override;

    void Accepted(Ptr<Socket> socket, const Address& from);
    void HandleRead(Ptr<Socket> socket);
    void HandlePeerClose(Ptr<Socket> socket);
    void HandleError(Ptr<Socket> socket);
    void HandleSend(Ptr<Socket> socket, uint32_t available);
    void Consume(Ptr<Socket> socket, Connection& c, const uint8_t* data, uint32_t n);
    /// The head resolved: the stream's expectations and its reverse stream.
    void StartStream(Ptr<Socket> socket, Connection& c, DyscoStreamRecord& r);
    /// Content bytes at r.bytesReceived on, against the pattern (and the stream's edit).
    void CheckContent(const Connection& c, DyscoStreamRecord& r, const uint8_t* data, size_t n);
    void SendReverse(Ptr<Socket> socket);
    /// The reverse stream ends: FIN now, or (`whenAcked`) once every byte is acknowledged.
    void ShutReverse(Ptr<Socket> socket, DyscoStreamRecord& r, bool whenAcked = false);
    void Finish(Ptr<Socket> socket, bool error);
    Ptr<Socket> FindStream(uint64_t streamId) const;
    void AbortNow(Ptr<Socket> socket);
    void AbortFallbackExpired(Ptr<Socket> socket);
    void PacerTick(Ptr<Socket> socket);
    static void CloseSocket(Ptr<Socket> socket);

    Address m_local;
    uint64_t m_reverseBytes = 0;
    uint32_t m_sendSize = 1448;
    Time m_abortFallback;
    std::map<uint64_t, uint64_t> m_reverseFor;
    DataRate m_reverseRate;
    std::map<uint64_t, DataRate> m_rateFor;
    std::map<uint64_t, StreamEdit> m_editFor;
    StreamPrefixes m_prefixes;
    Ptr<Socket> m_listener;
    std::map<Ptr<Socket>, Connection> m_connections;
    std::vector<DyscoStreamRecord> m_records;
    std::vector<uint8_t> m_rx; ///< reused receive buffer
    std::vector<uint8_t> m_tx; ///< reused send buffer
    TracedCallback<const DyscoStreamRecord&> m_closedTrace;
    TracedCallback<Ptr<Socket>, const uint8_t*, uint32_t> m_readTrace;
    TracedCallback<Ptr<Socket>, const uint8_t*, uint32_t> m_writeTrace;
};

} // namespace ns3

#endif
