#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrlQuery>

namespace parallax::mock {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

/// One parsed HTTP/1.x request.
struct HttpRequest {
    QByteArray method;
    QByteArray target; ///< as on the request line: path and query
    QByteArray path;   ///< percent-decoded, without the query
    QUrlQuery query;
    HeaderList headers; ///< in arrival order, names as sent
    QByteArray body;
    bool keepAlive = true;

    /// Case-insensitive; empty when absent.
    QByteArray header(const QByteArray& name) const {
        for (const auto& [key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    bool hasHeader(const QByteArray& name) const {
        for (const auto& entry : headers) {
            if (entry.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
};

} // namespace parallax::mock
