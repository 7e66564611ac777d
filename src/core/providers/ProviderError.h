#pragma once

#include <QString>
#include <QtGlobal>

#include <optional>

namespace parallax {

/// The typed errors of PRODUCT.md. Every failure a user can see is one of these.
enum class ErrorType {
    Auth,
    Permission,
    NotFound,
    InvalidRequest,
    ContextLength,
    RateLimited,
    Overloaded,
    Server,
    Network,
    Timeout,
    Cancelled,
    Budget,
    Blocked,
};

/// "auth", "permission", "not_found", ... as in the CLI's JSON.
QString errorTypeName(ErrorType type);

struct ProviderError {
    ErrorType type = ErrorType::Server;
    QString message;                    ///< one clear sentence; never contains a key
    std::optional<int> httpStatus;      ///< empty for network errors and mid-stream errors without one
    bool retryable = false;             ///< whether sending the same request again may succeed
    std::optional<qint64> retryAfterMs; ///< the wait the provider asked for, if it asked
    QString providerCode;               ///< the provider's own error type/code, e.g. "overloaded_error"

    /// The default type for an HTTP status, before the body refines it.
    static ErrorType typeForHttpStatus(int status);
    /// The SDKs' rule: 408, 409, 429 and every 5xx (so 529 too) are worth retrying.
    static bool isRetryableHttpStatus(int status);
};

} // namespace parallax
