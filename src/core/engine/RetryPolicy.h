#pragma once

#include "providers/ProviderError.h"

#include <QJsonObject>
#include <QtGlobal>

#include <functional>
#include <optional>

namespace parallax {

/// When to try the same profile again, as the official SDKs do (WIRE.md §7): at most `maxRetries`
/// retries of retryable failures, waiting min(0.5 s × 2^n, 8 s) less up to 25 % jitter, or the wait the
/// provider asked for when it is at most `maxRetryAfterMs`. A longer requested wait is not waited out:
/// the request moves on to the fallback chain at once. Never retried once answer text has been shown.
class RetryPolicy {
public:
    int maxRetries = 2;
    qint64 maxRetryAfterMs = 60'000;

    /// Settings' "retries": {"max_retries": 2, "max_retry_after_seconds": 60}.
    static RetryPolicy fromSettings(const QJsonObject& retries);

    /// The wait before retry number `retriesSoFar + 1`, or empty when the request must not be retried.
    /// `random` gives a number in [0, 1) (injectable so tests are deterministic).
    std::optional<qint64> delayBeforeRetry(const ProviderError& error, int retriesSoFar, bool answerTextShown,
                                           const std::function<double()>& random) const;
};

} // namespace parallax
