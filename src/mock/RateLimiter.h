#pragma once

#include <deque>

#include "ProviderProtocol.h"

namespace parallax::mock {

/// Sliding 60-second window over admitted requests and their tokens, like the providers'
/// per-minute limits. Time comes from the caller so the limiter stays a plain value type.
class RateLimiter {
public:
    struct Decision {
        bool allowed = true;
        qint64 retryAfterMs = 0; ///< until enough capacity is back (only when refused)
        RateLimitState state;    ///< after this decision
    };

    void setLimits(int requestsPerMinute, int tokensPerMinute);
    bool enabled() const { return m_requestLimit > 0 || m_tokenLimit > 0; }
    /// Admits the request (and charges its tokens) when there is room.
    Decision admit(qint64 nowMs, int tokens);
    RateLimitState state(qint64 nowMs);
    void reset() { m_entries.clear(); }

private:
    struct Entry {
        qint64 atMs;
        int tokens;
    };
    void expire(qint64 nowMs);
    qint64 usedTokens() const;

    int m_requestLimit = 0;
    int m_tokenLimit = 0;
    std::deque<Entry> m_entries;
};

} // namespace parallax::mock
