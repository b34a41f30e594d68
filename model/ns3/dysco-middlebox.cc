#include "dysco-middlebox.h"

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

} // namespace ns3
