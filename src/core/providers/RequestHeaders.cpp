#include "RequestHeaders.h"

#include <QCoreApplication>

namespace parallax {

QNetworkRequest RequestHeaders::jsonStreamingRequest(const QUrl& url, const QByteArray& accept) {
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", accept);
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArray("Parallax/") + QCoreApplication::applicationVersion().toUtf8());
    // A streamed answer must reach the parser as it arrives, never decompressed in one piece at the end.
    request.setRawHeader("Accept-Encoding", "identity");
    return request;
}

} // namespace parallax
