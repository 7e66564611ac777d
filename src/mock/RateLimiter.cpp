#include "RateLimiter.h"

namespace parallax::mock {

namespace {
constexpr qint64 kWindowMs = 60'000;
}

void RateLimiter::setLimits(int requestsPerMinute, int tokensPerMinute) {
    m_requestLimit = qMax(requestsPerMinute, 0);
    m_tokenLimit = qMax(tokensPerMinute, 0);
}

void RateLimiter::expire(qint64 nowMs) {
    while (!m_entries.empty() && m_entries.front().atMs + kWindowMs <= nowMs)
        m_entries.pop_front();
}

qint64 RateLimiter::usedTokens() const {
    qint64 used = 0;
    for (const Entry& entry : m_entries)
        used += entry.tokens;
    return used;
}

RateLimitState RateLimiter::state(qint64 nowMs) {
    expire(nowMs);
    RateLimitState state;
    // "Reset" is when the window is fully replenished, as the providers document it.
    const qint64 resetMs = m_entries.empty() ? 0 : m_entries.back().atMs + kWindowMs - nowMs;
    state.requestLimit = m_requestLimit;
    state.requestRemaining = qMax(0, m_requestLimit - static_cast<int>(m_entries.size()));
    state.requestResetMs = resetMs;
    state.tokenLimit = m_tokenLimit;
    state.tokenRemaining = static_cast<int>(qMax<qint64>(0, m_tokenLimit - usedTokens()));
    state.tokenResetMs = resetMs;
    return state;
}

RateLimiter::Decision RateLimiter::admit(qint64 nowMs, int tokens) {
    expire(nowMs);
    Decision decision;
    const auto count = static_cast<qint64>(m_entries.size());
    if (m_requestLimit > 0 && count >= m_requestLimit) {
        // One more request fits once the oldest (count - limit + 1) entries have left the window.
        const Entry& freeing = m_entries[static_cast<size_t>(count - m_requestLimit)];
        decision.allowed = false;
        decision.retryAfterMs = qMax(decision.retryAfterMs, freeing.atMs + kWindowMs - nowMs);
    }
    // A request is let in while any token capacity is left (it may overdraw), so a single large
    // request cannot be locked out forever.
    qint64 used = usedTokens();
    if (m_tokenLimit > 0 && used >= m_tokenLimit) {
        decision.allowed = false;
        for (const Entry& entry : m_entries) {
            used -= entry.tokens;
            if (used < m_tokenLimit) {
                decision.retryAfterMs = qMax(decision.retryAfterMs, entry.atMs + kWindowMs - nowMs);
                break;
            }
        }
    }
    if (decision.allowed)
        m_entries.push_back({nowMs, qMax(tokens, 0)});
    decision.state = state(nowMs);
    if (!decision.allowed) {
        if (m_requestLimit > 0 && count >= m_requestLimit)
            decision.state.requestRemaining = 0;
        if (m_tokenLimit > 0)
            decision.state.tokenRemaining = qMin(decision.state.tokenRemaining, 0);
    }
    return decision;
}

} // namespace parallax::mock
