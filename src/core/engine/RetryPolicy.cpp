#include "RetryPolicy.h"

#include <algorithm>
#include <cmath>

namespace parallax {

RetryPolicy RetryPolicy::fromSettings(const QJsonObject& retries) {
    RetryPolicy policy;
    if (const QJsonValue value = retries.value(QLatin1String("max_retries")); value.isDouble())
        policy.maxRetries = std::clamp(value.toInt(), 0, 10);
    if (const QJsonValue value = retries.value(QLatin1String("max_retry_after_seconds")); value.isDouble())
        policy.maxRetryAfterMs = static_cast<qint64>(std::clamp(value.toDouble(), 0.0, 3600.0) * 1000);
    return policy;
}

std::optional<qint64> RetryPolicy::delayBeforeRetry(const ProviderError& error, int retriesSoFar,
                                                    bool answerTextShown,
                                                    const std::function<double()>& random) const {
    if (!error.retryable || answerTextShown || retriesSoFar >= maxRetries)
        return std::nullopt;
    if (error.type == ErrorType::Cancelled || error.type == ErrorType::Budget)
        return std::nullopt;
    if (error.retryAfterMs && *error.retryAfterMs > 0) {
        if (*error.retryAfterMs > maxRetryAfterMs)
            return std::nullopt; // waiting that long helps nobody; the fallback chain takes over
        return *error.retryAfterMs;
    }
    const double base = std::min(0.5 * std::pow(2.0, retriesSoFar), 8.0);
    const double jittered = base * (1.0 - 0.25 * random());
    return static_cast<qint64>(std::llround(jittered * 1000));
}

} // namespace parallax
