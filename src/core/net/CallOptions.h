#pragma once

#include <QtGlobal>

namespace parallax {

/// Limits for one request. Defaults follow the official SDKs (10 minutes overall).
struct CallOptions {
    qint64 timeoutMs = 600'000;     ///< overall deadline from sending to the end of the answer
    qint64 idleTimeoutMs = 120'000; ///< longest silence allowed between two pieces of the response
};

} // namespace parallax
