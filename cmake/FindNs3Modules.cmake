# Locates Debian's ns-3 3.37 libraries without find_package(ns3), whose exported targets
# require helper binaries from the separate `ns3` package (see shared ns3-notes).
find_path(NS3_INCLUDE_DIR ns3/core-module.h REQUIRED)
set(NS3_MODULES core network internet point-to-point applications traffic-control stats
    flow-monitor csma bridge)
set(NS3_LIBRARIES "")
foreach(module ${NS3_MODULES})
    find_library(NS3_LIB_${module} NAMES ns3-${module} ns3.37-${module} REQUIRED)
    list(APPEND NS3_LIBRARIES ${NS3_LIB_${module}})
endforeach()
add_library(ns3::libs INTERFACE IMPORTED)
set_target_properties(ns3::libs PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${NS3_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${NS3_LIBRARIES}"
    # Our own NS_LOG_* / NS_ASSERT are compiled out unless these are defined.
    INTERFACE_COMPILE_DEFINITIONS "NS3_LOG_ENABLE;NS3_ASSERT_ENABLE")
message(STATUS "ns-3 headers: ${NS3_INCLUDE_DIR}")
