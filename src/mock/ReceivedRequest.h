#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

namespace parallax::mock {

/// A request as the mock received it, kept so tests can check what the client really sent.
struct ReceivedRequest {
    QByteArray method;
    QByteArray path;   ///< without the query
    QByteArray target; ///< path and query as sent
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString protocol; ///< "openai", "anthropic", "gemini", "ollama" or "" (not a generation request)

    /// Case-insensitive header lookup; empty when absent.
    QByteArray header(const QByteArray& name) const {
        for (const auto& [key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

} // namespace parallax::mock

Q_DECLARE_METATYPE(parallax::mock::ReceivedRequest)
