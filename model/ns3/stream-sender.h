// Byte-exact test source: connects over TCP to Remote, writes an 8-byte big-endian StreamId,
// then TotalBytes of StreamPatternByte(StreamId, offset), and closes. Flow control as in
// BulkSendApplication (TxAvailable and the send callback).
#ifndef DYSCO_STREAM_SENDER_H
#define DYSCO_STREAM_SENDER_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{

class DyscoStreamSender : public Application
{
public:
    static TypeId GetTypeId();
    DyscoStreamSender();
    ~DyscoStreamSender() override;

    /// Content bytes accepted by the socket so far (the stream-id header excluded).
    uint64_t GetBytesWritten() const { return m_written; }
    /// True once every byte was written and the socket closed.
    bool IsDone() const { return m_done; }
    /// The connecting socket (null before start); its GetSockName is the client address.
    Ptr<Socket> GetSocket() const { return m_socket; }
    Time GetConnectTime() const { return m_connectTime; }
    bool ConnectionFailed() const { return m_failed; }

protected:
    void DoDispose() override;

private:
    void StartApplication() override;
    void StopApplication() override;

    void Connected(Ptr<Socket> socket);
    void ConnectFailed(Ptr<Socket> socket);
    void SendSpace(Ptr<Socket> socket, uint32_t available);
    void SendData();

    Address m_remote;
    uint64_t m_totalBytes = 0;
    uint64_t m_streamId = 0;
    uint32_t m_sendSize = 1448;

    Ptr<Socket> m_socket;
    bool m_connected = false;
    bool m_done = false;
    bool m_failed = false;
    Time m_connectTime;
    uint64_t m_sent = 0;    ///< bytes handed to the socket, stream-id header included
    uint64_t m_written = 0; ///< content bytes only
    std::vector<uint8_t> m_chunk;
    TracedCallback<Ptr<const Packet>> m_txTrace;
};

} // namespace ns3

#endif
