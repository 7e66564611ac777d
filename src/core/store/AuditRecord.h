#pragma once

#include <QDateTime>
#include <QMap>
#include <QString>

#include <optional>

namespace parallax {

/// What the audit log keeps about one request to one provider (or one cache hit / refusal). It holds
/// the sanitized prompt's hash and length, never the prompt itself, and never a key.
struct AuditRecord {
    QDateTime time;
    QString requestId;
    QString profile;
    QString kind;
    QString model;
    QString endpointHost;
    QString promptSha256;
    qint64 promptLength = 0;
    QMap<QString, int> redactions; ///< counts by type, e.g. {"EMAIL_ADDRESS": 2}
    QString status;                ///< "ok", "failed", "cancelled", "cached", "refused"
    QString errorType;             ///< empty on success
    std::optional<qint64> inputTokens;
    std::optional<qint64> outputTokens;
    std::optional<double> costUsd;
    bool cacheHit = false;
    QString fallbackFrom;
    int attempts = 0;
};

} // namespace parallax
