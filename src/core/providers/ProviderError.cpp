#include "ProviderError.h"

namespace parallax {

QString errorTypeName(ErrorType type) {
    switch (type) {
    case ErrorType::Auth:
        return QStringLiteral("auth");
    case ErrorType::Permission:
        return QStringLiteral("permission");
    case ErrorType::NotFound:
        return QStringLiteral("not_found");
    case ErrorType::InvalidRequest:
        return QStringLiteral("invalid_request");
    case ErrorType::ContextLength:
        return QStringLiteral("context_length");
    case ErrorType::RateLimited:
        return QStringLiteral("rate_limited");
    case ErrorType::Overloaded:
        return QStringLiteral("overloaded");
    case ErrorType::Server:
        return QStringLiteral("server");
    case ErrorType::Network:
        return QStringLiteral("network");
    case ErrorType::Timeout:
        return QStringLiteral("timeout");
    case ErrorType::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorType::Budget:
        return QStringLiteral("budget");
    case ErrorType::Blocked:
        return QStringLiteral("blocked");
    }
    return QStringLiteral("server");
}

ErrorType ProviderError::typeForHttpStatus(int status) {
    switch (status) {
    case 401:
        return ErrorType::Auth;
    case 402: // Anthropic's billing_error: the account, not the request, must change
    case 403:
        return ErrorType::Permission;
    case 404:
        return ErrorType::NotFound;
    case 408:
    case 504:
        return ErrorType::Timeout;
    case 413:
        return ErrorType::ContextLength;
    case 429:
        return ErrorType::RateLimited;
    case 503:
    case 529:
        return ErrorType::Overloaded;
    default:
        break;
    }
    if (status >= 500)
        return ErrorType::Server;
    if (status == 409)
        return ErrorType::Server; // a conflict on the provider's side; the SDKs retry it
    return ErrorType::InvalidRequest;
}

bool ProviderError::isRetryableHttpStatus(int status) {
    return status == 408 || status == 409 || status == 429 || status >= 500;
}

} // namespace parallax
