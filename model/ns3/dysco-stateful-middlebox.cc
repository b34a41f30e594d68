#include "dysco-stateful-middlebox.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DyscoStatefulMiddlebox);

TypeId
DyscoStatefulMiddlebox::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoStatefulMiddlebox").SetParent<DyscoMiddlebox>().SetGroupName("Dysco");
    return tid;
}

std::string
DyscoEndpointText(uint32_t ip, uint16_t port)
{
    return dysco::Ipv4ToString(ip) + ":" + std::to_string(port);
}

bool
DyscoParseEndpoint(const std::string& text, uint32_t* ip, uint16_t* port)
{
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon + 1 >= text.size() || text.size() - colon > 6)
    {
        return false;
    }
    uint32_t value = 0;
    for (size_t i = colon + 1; i < text.size(); ++i)
    {
        if (text[i] < '0' || text[i] > '9')
        {
            return false;
        }
        value = value * 10 + uint32_t(text[i] - '0');
    }
    if (value > 65535 || !dysco::ParseIpv4(text.substr(0, colon), ip))
    {
        return false;
    }
    *port = uint16_t(value);
    return true;
}

} // namespace ns3
