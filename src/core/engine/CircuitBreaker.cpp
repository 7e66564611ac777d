#include "CircuitBreaker.h"

#include <algorithm>

namespace parallax {

CircuitBreaker CircuitBreaker::fromSettings(const QJsonObject& breaker) {
    CircuitBreaker result;
    if (const QJsonValue value = breaker.value(QLatin1String("failure_threshold")); value.isDouble())
        result.failureThreshold = std::max(1, value.toInt());
    if (const QJsonValue value = breaker.value(QLatin1String("cooldown_seconds")); value.isDouble())
        result.cooldownMs = static_cast<qint64>(std::max(0.0, value.toDouble()) * 1000);
    return result;
}

CircuitBreaker::State CircuitBreaker::state(const QString& endpoint, qint64 nowMs) const {
    const auto it = m_entries.constFind(endpoint);
    if (it == m_entries.constEnd())
        return State::Closed;
    if (it->state == State::Open && nowMs >= it->openUntilMs)
        return State::HalfOpen;
    return it->state;
}

bool CircuitBreaker::allowRequest(const QString& endpoint, qint64 nowMs) {
    Entry& entry = m_entries[endpoint];
    if (entry.state == State::Closed)
        return true;
    if (entry.state == State::Open) {
        if (nowMs < entry.openUntilMs)
            return false;
        entry.state = State::HalfOpen;
        entry.probeInFlight = false;
    }
    if (entry.probeInFlight && nowMs - entry.probeStartedMs < cooldownMs)
        return false;
    entry.probeInFlight = true;
    entry.probeStartedMs = nowMs;
    return true;
}

void CircuitBreaker::recordSuccess(const QString& endpoint) {
    Entry& entry = m_entries[endpoint];
    entry = Entry{};
}

void CircuitBreaker::releaseProbe(const QString& endpoint) {
    if (auto it = m_entries.find(endpoint); it != m_entries.end())
        it->probeInFlight = false;
}

void CircuitBreaker::recordFailure(const QString& endpoint, qint64 nowMs) {
    Entry& entry = m_entries[endpoint];
    ++entry.consecutiveFailures;
    if (entry.state == State::HalfOpen || entry.consecutiveFailures >= failureThreshold) {
        entry.state = State::Open;
        entry.openUntilMs = nowMs + cooldownMs;
        entry.probeInFlight = false;
    }
}

QString CircuitBreaker::stateName(State state) {
    switch (state) {
    case State::Closed:
        return QStringLiteral("closed");
    case State::Open:
        return QStringLiteral("open");
    case State::HalfOpen:
        return QStringLiteral("half-open");
    }
    return {};
}

} // namespace parallax
