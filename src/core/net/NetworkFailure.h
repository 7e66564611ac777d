#pragma once

#include "providers/ProviderError.h"

#include <QNetworkReply>
#include <QString>
#include <QUrl>

namespace parallax {

/// A reply that ended without an HTTP answer (refused, unknown host, closed, timed out, TLS), as one
/// typed error naming the endpoint. Streaming calls and one-shot requests (model lists) say it the same
/// way, so the window's hints read alike whichever request failed.
class NetworkFailure {
public:
    /// `answerStarted`: part of an answer had arrived when the connection closed.
    static ProviderError fromReply(QNetworkReply::NetworkError code, const QString& errorString,
                                   const QUrl& baseUrl, bool answerStarted = false);
};

} // namespace parallax
