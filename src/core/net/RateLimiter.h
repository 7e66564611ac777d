#pragma once

#include "net/HttpHeaders.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace parallax {

/// Token buckets per endpoint and key, for requests per minute and tokens per minute, from settings,
/// tightened by what providers say in their headers (`x-ratelimit-remaining-*`/`-reset-*`,
/// `anthropic-ratelimit-*`) and by their `retry-after`. It never sleeps: it tells the caller how long to
/// wait, and the caller shows that wait as the `waiting` state.
class RateLimiter {
public:
    struct Limits {
        double requestsPerMinute = 0; ///< 0: no limit of our own
        double tokensPerMinute = 0;
    };

    /// Settings' "rate_limits": {"api.openai.com": {"requests_per_minute": 500, "tokens_per_minute":
    /// 200000}}, keyed by host or host:port.
    void configure(const QJsonObject& rateLimits);

    /// The key a new "rate_limits" entry for this endpoint is written under: the host, or host:port when
    /// the URL names a port other than its scheme's default (a local server's port tells it apart).
    static QString endpointKey(const QUrl& baseUrl);
    /// The key of the "rate_limits" entry that applies to this endpoint, as written in `rateLimits`
    /// (host:port before host, case-insensitive); empty when none does.
    static QString configuredKey(const QJsonObject& rateLimits, const QUrl& baseUrl);

    /// The bucket for an endpoint and key. The key enters only as a short hash, kept in memory.
    static QString bucketFor(const QUrl& baseUrl, const QString& apiKey);

    /// Takes capacity for one request of about `tokens` tokens and returns 0, or returns how many ms to
    /// wait before asking again (taking nothing).
    qint64 tryAcquire(const QString& bucket, const QUrl& baseUrl, qint64 tokens, qint64 nowMs);

    /// Reads the provider's remaining/reset headers: an exhausted limit blocks the bucket until its reset.
    void observeHeaders(const QString& bucket, const HttpHeaders& headers, qint64 nowMs);
    /// A 429's requested wait blocks the bucket for that long.
    void blockFor(const QString& bucket, qint64 waitMs, qint64 nowMs);

private:
    struct Bucket {
        Limits limits;
        double requestTokens = 0;
        double tokenTokens = 0;
        qint64 lastRefillMs = -1;
        qint64 blockedUntilMs = 0;
    };
    Limits limitsFor(const QUrl& baseUrl) const;
    void refill(Bucket& bucket, qint64 nowMs) const;

    QHash<QString, Limits> m_configured; // by host or host:port
    QHash<QString, Bucket> m_buckets;
};

} // namespace parallax
