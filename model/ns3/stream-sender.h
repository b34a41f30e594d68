// Byte-exact test source: connects over TCP to Remote, writes its prefix (SetPrefix: the
// application bytes a session opens with, e.g. an HTTP request line; none by default), an
// 8-byte big-endian StreamId, then TotalBytes of StreamPatternByte(StreamId, offset), and closes.
// Flow control as in BulkSendApplication (TxAvailable and the send callback). With ReverseBytes > 0
// it also verifies the stream the receiver sends back on the same connection
// (StreamPatternByte(ReverseStreamId(StreamId), offset)), and only shuts its send side when
// done, so the reverse stream keeps flowing after its FIN. With Rate set, writes are paced
// (StreamPacer) instead of filling the socket's buffer.
#ifndef DYSCO_STREAM_SENDER_H
#define DYSCO_STREAM_SENDER_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"
#include "stream-pacer.h"

#include <vector>

namespace ns3
{

class DyscoStreamSender : public Application
{
public:
    static TypeId GetTypeId();
    DyscoStreamSender();
    ~DyscoStreamSender() override;

    /// Bytes written before the stream id (stream-head.h); the receiver must know them too.
    void SetPrefix(std::vector<uint8_t> prefix) { m_prefix = std::move(prefix); }

    /// Content bytes accepted by the socket so far (prefix and stream-id header excluded).
    uint64_t GetBytesWritten() const { return m_written; }
    /// True once every byte was written and the socket closed.
    bool IsDone() const { return m_done; }
    /// The connecting socket (null before start); its GetSockName is the client address.
    Ptr<Socket> GetSocket() const { return m_socket; }
    Time GetConnectTime() const { return m_connectTime; }
    /// True if the connection failed, or (SocksTarget) the proxy refused the request.
    bool ConnectionFailed() const { return m_failed; }
    /// SocksTarget: the proxy's reply status (socks-request.h), -1 before a whole reply.
    int GetSocksStatus() const { return m_socksStatus; }

    /// Reverse-stream bytes read so far, and the offset of the first wrong one (-1: none).
    uint64_t GetReverseBytesReceived() const { return m_reverseReceived; }
    int64_t GetReverseFirstMismatch() const { return m_reverseMismatch; }
    /// The connection ended normally (the peer's FIN or RST arrived after ours, or before).
    bool IsPeerClosed() const { return m_peerClosed; }
    /// The connection ended with an error (this side sent a RST, or the connection failed).
    bool IsReset() const { return m_reset; }
    Time GetCloseTime() const { return m_closeTime; }

    /// Ends the stream early, as an application closing mid-transfer: nothing more is
    /// written, and the FIN follows what the socket already holds.
    void CloseEarly();
    /// Aborts the connection with a RST. ns-3's TcpSocketBase sends one when an application
    /// closes a socket holding unread data, so reading stops and the socket is closed as soon
    /// as data is waiting; if none arrives within AbortFallback, it closes with a FIN instead.
    void Abort();
    /// True once CloseEarly or Abort cut the stream short.
    bool WasCutShort() const { return m_cutShort; }
    /// True if an Abort found no data to leave unread and closed with a FIN.
    bool AbortFellBack() const { return m_abortFellBack; }

    /// Reverse-stream bytes as the application reads them (for content-hashed traces).
    typedef void (*ReadTracedCallback)(const uint8_t* data, uint32_t size);
    /// The socket reported the connection's end: the peer's FIN (error false) or an error.
    typedef void (*ClosedTracedCallback)(bool error);

protected:
    void DoDispose() override;

private:
    void StartApplication() override;
    void StopApplication() override;

    void Connected(Ptr<Socket> socket);
    void ConnectFailed(Ptr<Socket> socket);
    void SendSpace(Ptr<Socket> socket, uint32_t available);
    void SendData();
    void HandleRead(Ptr<Socket> socket);
    void HandlePeerClose(Ptr<Socket> socket);
    void HandleError(Ptr<Socket> socket);
    /// Our side is done sending: Close without a reverse stream, ShutdownSend with one (a
    /// Close with reverse bytes still in the receive buffer would send a RST).
    void EndSending();
    bool AllAcked() const; ///< every byte written was acknowledged
    void CloseNow();
    void AbortFallbackExpired();
    void PacerTick();
    void StartStream();
    void SendSocksRequest();
    void ReadSocksReply(Ptr<Socket> socket);

    Address m_remote;
    Address m_socksTarget;
    uint32_t m_socksRequestKind = 0;
    bool m_socksWaiting = false; ///< the request is sent, the reply not read yet
    std::vector<uint8_t> m_socksReply;
    int m_socksStatus = -1;
    uint64_t m_totalBytes = 0;
    uint64_t m_streamId = 0;
    std::vector<uint8_t> m_prefix;
    uint32_t m_sendSize = 1448;
    uint64_t m_reverseBytes = 0;
    Time m_abortFallback;
    DataRate m_rate;
    StreamPacer m_pacer;
    bool m_tickPending = false;

    Ptr<Socket> m_socket;
    bool m_connected = false;
    bool m_done = false;
    bool m_failed = false;
    Time m_connectTime;
    uint64_t m_sent = 0;    ///< bytes handed to the socket, prefix and stream id included
    uint64_t m_written = 0; ///< content bytes only
    std::vector<uint8_t> m_chunk;
    std::vector<uint8_t> m_rx;
    uint64_t m_reverseReceived = 0;
    int64_t m_reverseMismatch = -1;
    bool m_peerClosed = false;
    bool m_reset = false;
    bool m_cutShort = false;
    bool m_abortPending = false;
    bool m_abortFellBack = false;
    bool m_sendShut = false;    ///< our FIN is queued (Close or ShutdownSend called)
    bool m_finDeferred = false; ///< stream written; FIN once every byte is acknowledged
    Time m_closeTime;
    TracedCallback<Ptr<const Packet>> m_txTrace;
    TracedCallback<const uint8_t*, uint32_t> m_readTrace;
    TracedCallback<bool> m_closedTrace;
};

} // namespace ns3

#endif
