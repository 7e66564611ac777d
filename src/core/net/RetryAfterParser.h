#pragma once

#include "net/HttpHeaders.h"

#include <QDateTime>
#include <QtGlobal>

#include <optional>

namespace parallax {

/// Reads how long a provider asks us to wait before trying again.
class RetryAfterParser {
public:
    /// In order of precedence: `retry-after-ms`, `retry-after` (seconds, possibly fractional, or an HTTP
    /// date), then the rate-limit reset headers of OpenAI (`x-ratelimit-reset-*`, Go durations such as
    /// `6m0s`) and Anthropic (`anthropic-ratelimit-*-reset`, RFC 3339 times): the reset of an exhausted
    /// limit, or the latest reset when none says it is exhausted.
    /// The reset headers only count when `includeRateLimitResets` (they matter for a 429, not a 503).
    static std::optional<qint64> fromHeaders(const HttpHeaders& headers, bool includeRateLimitResets,
                                             const QDateTime& now = QDateTime::currentDateTimeUtc());

    /// `retry-after`: delta-seconds (integer or fractional) or an IMF-fixdate / RFC 850 / asctime date.
    static std::optional<qint64> parseRetryAfter(QByteArrayView value, const QDateTime& now);

    /// Go's time.Duration text: "1s", "6m0s", "2m59.56s", "20ms", "1h2m", "150us". Plain numbers are seconds.
    static std::optional<qint64> parseDurationMs(QByteArrayView value);
};

} // namespace parallax
