#include "GenerationStream.h"

#include <cmath>

#include "MockLogging.h"

namespace parallax::mock {

GenerationStream::GenerationStream(HttpConnection* connection, const ProviderProtocol& protocol,
                                   ResponseContext context, Pacing pacing, HeaderList headers,
                                   MockStats& stats)
    : PacedStream(connection)
    , m_connection(connection)
    , m_protocol(protocol)
    , m_context(std::move(context))
    , m_pacing(pacing)
    , m_headers(std::move(headers))
    , m_stats(stats) {
    const auto count = static_cast<int>(m_context.words.size());
    // Strike before the last token, so a faulted stream never looks finished.
    m_faultAt = qMax(0, qMin(kTokensBeforeFault, count - 1));
    m_faultPending = m_pacing.fault == Fault::Midstream || m_pacing.fault == Fault::Drop ||
                     m_pacing.fault == Fault::Stall || m_pacing.fault == Fault::Malformed;
}

qint64 GenerationStream::dueOf(int tokenIndex) const {
    double offset = m_pacing.ttftMs;
    if (m_pacing.tokensPerSecond > 0)
        offset += tokenIndex * 1000.0 / m_pacing.tokensPerSecond;
    return m_startMs + std::llround(offset);
}

qint64 GenerationStream::start(qint64 nowMs) {
    m_startMs = nowMs;
    if (m_context.request.stream && m_connection) {
        HeaderList headers{{"Content-Type", m_protocol.streamContentType(m_context)},
                           {"Cache-Control", "no-cache"}};
        headers += m_headers;
        m_connection->beginStream(200, headers);
        write(m_protocol.streamStart(m_context));
        m_connection->flush();
        return dueOf(0);
    }
    return dueOf(qMax(0, static_cast<int>(m_context.words.size()) - 1));
}

void GenerationStream::write(const QByteArray& bytes) {
    if (m_connection)
        m_connection->writeChunk(bytes);
}

qint64 GenerationStream::advance(qint64 nowMs) {
    if (!m_connection || !m_connection->isOpen())
        return -1;
    if (m_context.request.stream)
        return advanceStream(nowMs);
    // A whole answer arrives when its last token would have been generated.
    const qint64 due = dueOf(qMax(0, static_cast<int>(m_context.words.size()) - 1));
    return due <= nowMs ? finishWhole() : due;
}

qint64 GenerationStream::advanceStream(qint64 nowMs) {
    const auto count = static_cast<int>(m_context.words.size());
    while (true) {
        const int sent = m_context.sentTokens;
        if (m_faultPending && sent == m_faultAt) {
            switch (m_pacing.fault) {
            case Fault::Midstream:
                write(m_protocol.streamError(m_context));
                m_connection->endStream();
                return -1;
            case Fault::Drop:
                qCInfo(lcMock) << "dropping connection after" << sent << "tokens";
                m_stats.recordDrop();
                m_connection->drop();
                return -1;
            case Fault::Stall:
                // Keep the connection open and silent until the client gives up.
                m_connection->flush();
                return -1;
            case Fault::Malformed:
                write(m_protocol.streamMalformed(m_context));
                m_faultPending = false;
                continue;
            default:
                m_faultPending = false;
                continue;
            }
        }
        if (sent == count) {
            write(m_protocol.streamFinish(m_context));
            m_connection->endStream();
            return -1;
        }
        const qint64 due = dueOf(sent);
        if (due > nowMs) {
            m_connection->flush();
            return due;
        }
        if (sent == 0)
            m_context.firstTokenNs = m_context.clock.nsecsElapsed();
        // Protocols see the count including this token (Gemini's usage is "so far").
        m_context.sentTokens = sent + 1;
        write(m_protocol.streamToken(m_context, sent, sent == count - 1));
        m_stats.addTokens(1);
    }
}

qint64 GenerationStream::finishWhole() {
    m_context.firstTokenNs = m_context.clock.nsecsElapsed();
    m_context.sentTokens = static_cast<int>(m_context.words.size());
    HeaderList headers{{"Content-Type", m_protocol.fullContentType()}};
    headers += m_headers;
    switch (m_pacing.fault) {
    case Fault::Midstream: {
        // Without a stream there is no "middle": the nearest thing is a server error.
        const ErrorResponse error =
            m_protocol.error(500,
                             QStringLiteral("The server had an error while processing your request. "
                                            "(parallax-mock midstream fault)"),
                             0);
        HeaderList errorHeaders{{"Content-Type", error.contentType}};
        errorHeaders += m_headers;
        m_connection->sendResponse(error.status, errorHeaders, error.body);
        return -1;
    }
    case Fault::Drop:
        m_stats.recordDrop();
        m_connection->drop();
        return -1;
    case Fault::Stall:
        return -1;
    case Fault::Malformed: {
        const QByteArray body = m_protocol.fullBody(m_context);
        m_connection->sendResponse(200, headers, body.left(body.size() / 2));
        return -1;
    }
    default:
        m_connection->sendResponse(200, headers, m_protocol.fullBody(m_context));
        return -1;
    }
}

} // namespace parallax::mock
