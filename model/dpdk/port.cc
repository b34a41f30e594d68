#include "port.h"

namespace dysco::dpdk
{

nlohmann::json
Port::StatsJson() const
{
    nlohmann::json j = {{"name", Name()},
                        {"mac", FormatMac(Mac())},
                        {"rx_frames", m_counters.rxFrames},
                        {"rx_bytes", m_counters.rxBytes},
                        {"tx_frames", m_counters.txFrames},
                        {"tx_bytes", m_counters.txBytes},
                        {"tx_dropped", m_counters.txDropped}};
    nlohmann::json dev = DeviceStats();
    if (!dev.empty())
    {
        j["device"] = dev;
    }
    return j;
}

} // namespace dysco::dpdk
