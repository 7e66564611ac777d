#include "ReplayStream.h"

#include "DeterministicRandom.h"

namespace parallax::mock {

ReplayStream::ReplayStream(HttpConnection* connection, QByteArray bytes, QByteArray contentType,
                           HeaderList headers, int ttftMs, quint64 seed)
    : PacedStream(connection)
    , m_connection(connection)
    , m_bytes(std::move(bytes))
    , m_contentType(std::move(contentType))
    , m_headers(std::move(headers))
    , m_ttftMs(ttftMs)
    , m_seed(seed) {}

QByteArray ReplayStream::contentTypeFor(const QString& fileName) {
    const QString lower = fileName.toLower();
    if (lower.endsWith(QLatin1String(".sse")) || lower.endsWith(QLatin1String(".txt")))
        return "text/event-stream";
    if (lower.endsWith(QLatin1String(".ndjson")) || lower.endsWith(QLatin1String(".json")) ||
        lower.endsWith(QLatin1String(".jsonl")))
        return "application/x-ndjson";
    return "application/octet-stream";
}

qint64 ReplayStream::start(qint64 nowMs) {
    if (!m_connection)
        return -1;
    HeaderList headers{{"Content-Type", m_contentType}, {"Cache-Control", "no-cache"}};
    headers += m_headers;
    m_connection->beginStream(200, headers);
    m_connection->flush();
    return nowMs + m_ttftMs;
}

qint64 ReplayStream::advance(qint64 nowMs) {
    if (!m_connection || !m_connection->isOpen())
        return -1;
    DeterministicRandom random(m_seed);
    for (int i = 0; i < kPiecesPerTick && m_offset < m_bytes.size(); ++i) {
        const qsizetype size = qMin<qsizetype>(1 + random.bounded(7), m_bytes.size() - m_offset);
        m_connection->writeChunk(m_bytes.mid(m_offset, size));
        m_connection->flush();
        m_offset += size;
    }
    m_seed = random.next();
    if (m_offset < m_bytes.size())
        return nowMs;
    m_connection->endStream();
    return -1;
}

} // namespace parallax::mock
