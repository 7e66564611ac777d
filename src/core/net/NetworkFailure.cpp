#include "NetworkFailure.h"

namespace parallax {

ProviderError NetworkFailure::fromReply(QNetworkReply::NetworkError code, const QString& errorString,
                                        const QUrl& baseUrl, bool answerStarted) {
    ProviderError error;
    error.type = ErrorType::Network;
    error.retryable = true;
    const QString host =
        baseUrl.host() + (baseUrl.port() > 0 ? QStringLiteral(":%1").arg(baseUrl.port()) : QString());
    switch (code) {
    case QNetworkReply::ConnectionRefusedError:
        error.message = QStringLiteral("connection refused by %1 (is the server running?)").arg(host);
        break;
    case QNetworkReply::HostNotFoundError:
        error.message = QStringLiteral("host not found: %1").arg(baseUrl.host());
        break;
    case QNetworkReply::RemoteHostClosedError:
        error.message = answerStarted
                            ? QStringLiteral("%1 closed the connection in the middle of the answer").arg(host)
                            : QStringLiteral("%1 closed the connection before answering").arg(host);
        break;
    case QNetworkReply::TimeoutError:
        error.type = ErrorType::Timeout;
        error.message = QStringLiteral("the connection to %1 timed out").arg(host);
        break;
    case QNetworkReply::SslHandshakeFailedError:
        error.retryable = false;
        error.message = QStringLiteral("TLS handshake with %1 failed: %2").arg(host, errorString);
        break;
    default:
        error.message = QStringLiteral("network error talking to %1: %2").arg(host, errorString);
        break;
    }
    return error;
}

} // namespace parallax
