#pragma once

#include <QPointer>

#include "HttpConnection.h"
#include "PacedStream.h"

namespace parallax::mock {

/// Sends a recorded response body byte for byte, in small seeded pieces, each flushed on its
/// own: the client's parser meets the awkward chunk boundaries that real networks produce.
class ReplayStream : public PacedStream {
    Q_OBJECT
public:
    ReplayStream(HttpConnection* connection, QByteArray bytes, QByteArray contentType, HeaderList headers,
                 int ttftMs, quint64 seed);

    qint64 start(qint64 nowMs);
    qint64 advance(qint64 nowMs) override;

    /// Content type for a replay file, from its extension.
    static QByteArray contentTypeFor(const QString& fileName);

private:
    static constexpr int kPiecesPerTick = 16;

    QPointer<HttpConnection> m_connection;
    QByteArray m_bytes;
    QByteArray m_contentType;
    HeaderList m_headers;
    int m_ttftMs;
    quint64 m_seed;
    qsizetype m_offset = 0;
};

} // namespace parallax::mock
