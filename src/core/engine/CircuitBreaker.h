#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QtGlobal>

namespace parallax {

/// Per endpoint: after `failureThreshold` consecutive failures the circuit opens for `cooldownMs`, during
/// which requests skip the endpoint (fallback goes straight on). After the cool-down one probe request is
/// let through; its success closes the circuit, its failure opens it again.
class CircuitBreaker {
public:
    enum class State { Closed, Open, HalfOpen };

    int failureThreshold = 5;
    qint64 cooldownMs = 30'000;

    static CircuitBreaker fromSettings(const QJsonObject& breaker);

    /// Whether a request may go to the endpoint now; in the half-open state only the first caller gets
    /// through (the probe). A probe whose outcome is never reported expires after one cool-down, so a
    /// lost probe cannot shut an endpoint out for good.
    bool allowRequest(const QString& endpoint, qint64 nowMs);
    void recordSuccess(const QString& endpoint);
    void recordFailure(const QString& endpoint, qint64 nowMs);
    /// The probe that was let through never reached the endpoint (refused by the budget, cancelled):
    /// the next request may probe instead.
    void releaseProbe(const QString& endpoint);
    State state(const QString& endpoint, qint64 nowMs) const;

    static QString stateName(State state);

private:
    struct Entry {
        State state = State::Closed;
        int consecutiveFailures = 0;
        qint64 openUntilMs = 0;
        bool probeInFlight = false;
        qint64 probeStartedMs = 0;
    };
    QHash<QString, Entry> m_entries;
};

} // namespace parallax
