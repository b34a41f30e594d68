// Byte-exact test sink: accepts any number of TCP connections on Local; per connection reads
// the 8-byte stream id, then checks every following byte against StreamPatternByte and
// keeps a record per stream. Closes its side when the peer closes, so the session ends with
// FINs in both directions.
#ifndef DYSCO_STREAM_RECEIVER_H
#define DYSCO_STREAM_RECEIVER_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>
#include <vector>

namespace ns3
{

struct DyscoStreamRecord
{
    uint64_t streamId = 0;
    bool idComplete = false;          ///< all 8 stream-id bytes arrived
    Address peer;                     ///< the connecting socket's address, as TCP saw it
    uint64_t bytesReceived = 0;       ///< content bytes (stream-id header excluded)
    int64_t firstMismatchOffset = -1; ///< content offset of the first wrong byte; -1 if none
    bool closed = false;              ///< the peer's FIN arrived (normal close)
    bool error = false;               ///< the connection ended with an error (e.g. RST)
    Time acceptTime;
    Time closeTime; ///< when closed or error was set
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

    typedef void (*StreamClosedTracedCallback)(const DyscoStreamRecord& record);

protected:
    void DoDispose() override;

private:
    struct Connection
    {
        size_t record = 0;
        uint8_t id[8] = {};
        uint32_t idBytes = 0;
    };

    void StartApplication() override;
    void StopApplication() override;

    void Accepted(Ptr<Socket> socket, const Address& from);
    void HandleRead(Ptr<Socket> socket);
    void HandlePeerClose(Ptr<Socket> socket);
    void HandleError(Ptr<Socket> socket);
    void Consume(Connection& c, const uint8_t* data, uint32_t n);
    void Finish(Ptr<Socket> socket, bool error);
    static void CloseSocket(Ptr<Socket> socket);

    Address m_local;
    Ptr<Socket> m_listener;
    std::map<Ptr<Socket>, Connection> m_connections;
    std::vector<DyscoStreamRecord> m_records;
    std::vector<uint8_t> m_rx; ///< reused receive buffer
    TracedCallback<const DyscoStreamRecord&> m_closedTrace;
};

} // namespace ns3

#endif
