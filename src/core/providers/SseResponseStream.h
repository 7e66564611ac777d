#pragma once

#include "net/SseParser.h"
#include "providers/ResponseStream.h"

namespace parallax {

/// A response stream framed as server-sent events; subclasses interpret the events. A server that ignores
/// the request to stream and answers with one JSON document (or a JSON array of chunks) is understood too:
/// the document is handed to the subclass as if it were a single event.
class SseResponseStream : public ResponseStream {
public:
    void feed(QByteArrayView bytes) final;

protected:
    virtual void handleEvent(const SseEvent& event) = 0;
    void flushAtEnd() override;

private:
    void handleWholeJsonBody();

    SseParser m_parser;
    QList<SseEvent> m_pending;
    bool m_sawEvent = false;
    QByteArray m_bodyBeforeFirstEvent; // kept in case the server ignored "stream": true
};

} // namespace parallax
