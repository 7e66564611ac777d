#pragma once

#include "net/LineSplitter.h"
#include "net/SseEvent.h"

#include <QList>

#include <optional>

namespace parallax {

/// The WHATWG "server-sent events" interpretation algorithm over arbitrarily chunked bytes.
/// Comments are skipped, one space after the colon is stripped, several `data:` lines join with "\n",
/// an event with no data is not dispatched, and `id` persists across events.
class SseParser {
public:
    /// Parses a chunk and appends every event it completes to `events`.
    void feed(QByteArrayView chunk, QList<SseEvent>& events);

    /// At end of stream the spec discards an event that was not closed by a blank line. Providers that
    /// finish without that blank line still sent a complete event, so it is offered here to the caller.
    std::optional<SseEvent> takeUnterminatedEvent();

private:
    void processLine(QByteArrayView line, QList<SseEvent>& events);

    LineSplitter m_lines;
    QByteArray m_eventType;
    QByteArray m_data;
    QByteArray m_lastEventId;
    bool m_hasData = false;
    bool m_bomChecked = false;
    QByteArray m_bomProbe;
};

} // namespace parallax
