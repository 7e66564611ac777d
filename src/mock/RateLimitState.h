#pragma once

#include <QtGlobal>

namespace parallax::mock {

/// Remaining capacity of the rate limiter, for the protocol's rate-limit headers.
struct RateLimitState {
    int requestLimit = 0; ///< 0: no request limit configured
    int requestRemaining = 0;
    qint64 requestResetMs = 0;
    int tokenLimit = 0; ///< 0: no token limit configured
    int tokenRemaining = 0;
    qint64 tokenResetMs = 0;
};

} // namespace parallax::mock
