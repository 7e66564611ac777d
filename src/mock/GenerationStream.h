#pragma once

#include <QPointer>

#include "Fault.h"
#include "HttpConnection.h"
#include "MockStats.h"
#include "PacedStream.h"
#include "ProviderProtocol.h"

namespace parallax::mock {

/// Writes one generated answer, streamed or whole, paced by the StreamScheduler, and carries
/// out stream faults (midstream, drop, stall, malformed) after the first few tokens.
class GenerationStream : public PacedStream {
    Q_OBJECT
public:
    struct Pacing {
        int ttftMs = 0;
        double tokensPerSecond = 0; ///< <= 0: every token at once
        Fault fault = Fault::None;  ///< only stream faults are handled here
    };

    /// Parented to the connection: when the client goes away, the stream goes with it.
    GenerationStream(HttpConnection* connection, const ProviderProtocol& protocol, ResponseContext context,
                     Pacing pacing, HeaderList headers, MockStats& stats);

    /// Writes the response head (for streams) and returns the first due time.
    qint64 start(qint64 nowMs);
    qint64 advance(qint64 nowMs) override;

    /// Tokens written before a stream fault strikes.
    static constexpr int kTokensBeforeFault = 3;

private:
    qint64 dueOf(int tokenIndex) const;
    qint64 advanceStream(qint64 nowMs);
    qint64 finishWhole();
    void write(const QByteArray& bytes);

    QPointer<HttpConnection> m_connection;
    const ProviderProtocol& m_protocol;
    ResponseContext m_context;
    Pacing m_pacing;
    HeaderList m_headers;
    MockStats& m_stats;
    qint64 m_startMs = 0;
    int m_faultAt = 0;
    bool m_faultPending = false;
};

} // namespace parallax::mock
