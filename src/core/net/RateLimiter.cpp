#include "RateLimiter.h"

#include "net/RetryAfterParser.h"

#include <QCryptographicHash>
#include <QDateTime>

#include <algorithm>
#include <cmath>

namespace parallax {

void RateLimiter::configure(const QJsonObject& rateLimits) {
    m_configured.clear();
    for (auto it = rateLimits.begin(); it != rateLimits.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        Limits limits;
        limits.requestsPerMinute =
            std::max(0.0, entry.value(QLatin1String("requests_per_minute")).toDouble());
        limits.tokensPerMinute = std::max(0.0, entry.value(QLatin1String("tokens_per_minute")).toDouble());
        m_configured.insert(it.key().toLower(), limits);
    }
}

namespace {
int portOf(const QUrl& url) {
    return url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
}
} // namespace

QString RateLimiter::endpointKey(const QUrl& baseUrl) {
    const QString host = baseUrl.host().toLower();
    if (baseUrl.port() < 0 || baseUrl.port() == portOf(baseUrl.adjusted(QUrl::RemovePort)))
        return host;
    return host + QLatin1Char(':') + QString::number(baseUrl.port());
}

QString RateLimiter::configuredKey(const QJsonObject& rateLimits, const QUrl& baseUrl) {
    const QString host = baseUrl.host().toLower();
    // The order limitsFor() looks in: the exact endpoint first, then the whole host.
    for (const QString& wanted : {host + QLatin1Char(':') + QString::number(portOf(baseUrl)), host}) {
        for (auto it = rateLimits.begin(); it != rateLimits.end(); ++it) {
            if (it.key().toLower() == wanted)
                return it.key();
        }
    }
    return {};
}

QString RateLimiter::bucketFor(const QUrl& baseUrl, const QString& apiKey) {
    const QByteArray keyHash =
        QCryptographicHash::hash(apiKey.toUtf8(), QCryptographicHash::Sha256).toHex().left(12);
    return baseUrl.scheme() + QStringLiteral("://") + baseUrl.host().toLower() + QLatin1Char(':') +
           QString::number(baseUrl.port(baseUrl.scheme() == QLatin1String("https") ? 443 : 80)) +
           QLatin1Char('#') + QString::fromLatin1(keyHash);
}

RateLimiter::Limits RateLimiter::limitsFor(const QUrl& baseUrl) const {
    const QString host = baseUrl.host().toLower();
    const int port = portOf(baseUrl);
    if (auto it = m_configured.constFind(host + QLatin1Char(':') + QString::number(port));
        it != m_configured.constEnd())
        return *it;
    return m_configured.value(host);
}

void RateLimiter::refill(Bucket& bucket, qint64 nowMs) const {
    if (bucket.lastRefillMs < 0) {
        bucket.requestTokens = bucket.limits.requestsPerMinute; // a full minute's worth to start
        bucket.tokenTokens = bucket.limits.tokensPerMinute;
    } else {
        const double elapsed = static_cast<double>(nowMs - bucket.lastRefillMs);
        bucket.requestTokens =
            std::min(bucket.limits.requestsPerMinute,
                     bucket.requestTokens + elapsed * bucket.limits.requestsPerMinute / 60'000.0);
        bucket.tokenTokens =
            std::min(bucket.limits.tokensPerMinute,
                     bucket.tokenTokens + elapsed * bucket.limits.tokensPerMinute / 60'000.0);
    }
    bucket.lastRefillMs = nowMs;
}

qint64 RateLimiter::tryAcquire(const QString& bucketName, const QUrl& baseUrl, qint64 tokens, qint64 nowMs) {
    Bucket& bucket = m_buckets[bucketName];
    bucket.limits = limitsFor(baseUrl);
    if (nowMs < bucket.blockedUntilMs)
        return bucket.blockedUntilMs - nowMs;
    refill(bucket, nowMs);

    qint64 wait = 0;
    if (bucket.limits.requestsPerMinute > 0 && bucket.requestTokens < 1.0)
        wait = std::max<qint64>(wait, static_cast<qint64>(std::ceil((1.0 - bucket.requestTokens) * 60'000.0 /
                                                                    bucket.limits.requestsPerMinute)));
    // A request larger than a whole minute's tokens waits for a full bucket rather than forever.
    const double neededTokens = std::min(static_cast<double>(tokens), bucket.limits.tokensPerMinute);
    if (bucket.limits.tokensPerMinute > 0 && bucket.tokenTokens < neededTokens)
        wait =
            std::max<qint64>(wait, static_cast<qint64>(std::ceil((neededTokens - bucket.tokenTokens) *
                                                                 60'000.0 / bucket.limits.tokensPerMinute)));
    if (wait > 0)
        return wait;
    if (bucket.limits.requestsPerMinute > 0)
        bucket.requestTokens -= 1.0;
    if (bucket.limits.tokensPerMinute > 0)
        bucket.tokenTokens -= neededTokens;
    return 0;
}

void RateLimiter::observeHeaders(const QString& bucketName, const HttpHeaders& headers, qint64 nowMs) {
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC);
    qint64 blockMs = 0;
    for (const auto& [rawName, value] : headers) {
        const QByteArray name = rawName.toLower();
        if (value.trimmed() != "0")
            continue;
        std::optional<qint64> reset;
        if (name.startsWith("x-ratelimit-remaining-")) {
            const QByteArray which = name.mid(qsizetype(sizeof("x-ratelimit-remaining-")) - 1);
            if (auto resetValue = headerValue(headers, "x-ratelimit-reset-" + which))
                reset = RetryAfterParser::parseDurationMs(*resetValue);
        } else if (name.startsWith("anthropic-ratelimit-") && name.endsWith("-remaining")) {
            const QByteArray resetName = name.chopped(qsizetype(sizeof("-remaining")) - 1) + "-reset";
            if (auto resetValue = headerValue(headers, resetName)) {
                const QDateTime at =
                    QDateTime::fromString(QString::fromLatin1(resetValue->trimmed()), Qt::ISODateWithMs);
                if (at.isValid())
                    reset = std::max<qint64>(0, now.msecsTo(at));
            }
        }
        if (reset)
            blockMs = std::max(blockMs, *reset);
    }
    if (blockMs > 0)
        blockFor(bucketName, blockMs, nowMs);
}

void RateLimiter::blockFor(const QString& bucketName, qint64 waitMs, qint64 nowMs) {
    Bucket& bucket = m_buckets[bucketName];
    bucket.blockedUntilMs = std::max(bucket.blockedUntilMs, nowMs + waitMs);
}

} // namespace parallax
