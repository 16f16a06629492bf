// Logging goes through spdlog to stderr. The level comes from $QINGFENG_LOG
// (error, warn, info, debug); default warn. Never log personal data in clear.
#pragma once

#include <spdlog/spdlog.h>

namespace qf {

// Reads $QINGFENG_LOG once; call early in main().
void InitLogging();

}  // namespace qf
