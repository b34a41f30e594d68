// When a relay or an application may send its FIN on ns-3.37's TcpSocketBase.
//
// ns-3.37 mishandles a FIN in two ways that an application must route around: ShutdownSend
// with every byte sent but some unacknowledged only sets a flag that a later data segment
// would act on, so with nothing left to send the FIN never goes; and a FIN riding on a data
// segment that meets the peer's FIN is filed at the segment's first byte (ProcessWait), so
// the close never completes. An empty FIN sent once every byte is acknowledged avoids both.
#ifndef DYSCO_NS3_SOCKET_ACKED_H
#define DYSCO_NS3_SOCKET_ACKED_H

#include "ns3/socket.h"
#include "ns3/uinteger.h"

namespace ns3
{

/// Everything written to `socket` has been acknowledged (true for a socket without a
/// send buffer size attribute, which has nothing to wait for).
inline bool
AllAcked(Ptr<Socket> socket)
{
    UintegerValue size;
    return !socket->GetAttributeFailSafe("SndBufSize", size) ||
           socket->GetTxAvailable() >= size.Get();
}

} // namespace ns3

#endif
