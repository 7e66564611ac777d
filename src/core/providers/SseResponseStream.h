#pragma once

#include "net/SseParser.h"
#include "providers/ResponseStream.h"

namespace parallax {

/// A response stream framed as server-sent events; subclasses interpret the events.
class SseResponseStream : public ResponseStream {
public:
    void feed(QByteArrayView bytes) final;

protected:
    virtual void handleEvent(const SseEvent& event) = 0;
    void flushAtEnd() override;

private:
    SseParser m_parser;
    QList<SseEvent> m_pending;
};

} // namespace parallax
