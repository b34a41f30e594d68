// The SOCKS-like explicit proxy (paper §2.2: a proxy that leaves the chain once its work is
// done): clients connect to the proxy's own address and port and send a CONNECT request
// (socks-request.h); the proxy opens the onward connection to the named server through its
// agent (Agent::ExtendChain joins it to the client's session, and the agent's policies may
// put middleboxes on it), replies success and, as soon as the handshake is done, splices
// itself out: the anchors then translate addresses and ports (client:p -> proxy:1080 against
// proxy:q -> server:80) as well as sequence numbers (both connections' ISNs, the request the
// proxy consumed and the reply it wrote). A malformed request gets a failure reply and the
// connection is closed; a refused onward connection gets "connection refused" likewise.
// Everything else (relay, ISN offsets, deltas, splice, drop after the splice) is DyscoProxy's.
#ifndef DYSCO_SOCKS_PROXY_H
#define DYSCO_SOCKS_PROXY_H

#include "dysco-proxy.h"
#include "socks-request.h"

#include <map>
#include <set>

namespace ns3
{

class DyscoSocksProxy : public DyscoProxy
{
public:
    static TypeId GetTypeId();
    DyscoSocksProxy();
    ~DyscoSocksProxy() override;

    /// Requests that parsed and were answered "succeeded".
    uint64_t GetConnected() const { return m_connected; }
    /// Requests refused as malformed (failure reply, connection closed).
    uint64_t GetMalformed() const { return m_malformed; }
    /// Onward connections that failed (reply "connection refused", connection closed).
    uint64_t GetRefused() const { return m_refused; }

    /// The client's session (client -> proxy) and the onward connection (proxy -> server)
    /// it was joined to.
    typedef void (*OnwardTracedCallback)(const dysco::FiveTuple& session,
                                         const dysco::FiveTuple& onward);

protected:
    void DoDispose() override;
    void OnAccept(Ptr<Socket> s, const Address& from) override;

private:
    struct Pending
    {
        size_t nat = 0;
        std::vector<uint8_t> request;
    };
    void ReadRequest(Ptr<Socket> s);
    void RequestEnded(Ptr<Socket> s);
    void Refuse(Ptr<Socket> s, SocksStatus status);
    void Connected(Ptr<Socket> out);
    void ConnectFailed(Ptr<Socket> out);
    void OnOnwardClose(Ptr<Socket> out);
    void OnwardReset(size_t natIndex);
    void OnOnwardError(Ptr<Socket> out);

    std::map<Ptr<Socket>, Pending> m_pending; ///< accepted, request not complete yet
    std::set<Socket*> m_onwardUp; ///< onward sockets that connected (or failed, reported)
    uint64_t m_connected = 0;
    uint64_t m_malformed = 0;
    uint64_t m_refused = 0;
    TracedCallback<const dysco::FiveTuple&, const dysco::FiveTuple&> m_onwardTrace;
};

} // namespace ns3

#endif
