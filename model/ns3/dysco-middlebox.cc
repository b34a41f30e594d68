#include "dysco-middlebox.h"

#include "core/packet.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DyscoMiddlebox);

TypeId
DyscoMiddlebox::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DyscoMiddlebox").SetParent<Object>().SetGroupName("Dysco");
    return tid;
}

DyscoMiddlebox::~DyscoMiddlebox() = default;

std::optional<dysco::PacketView>
DyscoMiddlebox::ParseTcp(std::vector<uint8_t>& packet)
{
    if (packet.size() < 20 || packet[9] != dysco::kProtoTcp)
    {
        return std::nullopt;
    }
    dysco::PacketView v(packet.data(), packet.size());
    if (v.Parse() != dysco::ParseError::kOk)
    {
        return std::nullopt;
    }
    return v;
}

} // namespace ns3
