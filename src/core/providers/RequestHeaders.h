#pragma once

#include <QNetworkRequest>
#include <QUrl>

namespace parallax {

/// The headers every provider request shares.
class RequestHeaders {
public:
    static QNetworkRequest jsonStreamingRequest(const QUrl& url, const QByteArray& accept);
};

} // namespace parallax
