#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

#include <optional>

namespace parallax {

/// Response headers as QNetworkReply::rawHeaderPairs() gives them.
using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

/// Case-insensitive lookup of a header's value.
inline std::optional<QByteArray> headerValue(const HttpHeaders& headers, QByteArrayView name) {
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return std::nullopt;
}

} // namespace parallax
