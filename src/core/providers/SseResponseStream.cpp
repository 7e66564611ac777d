#include "SseResponseStream.h"

#include <QJsonDocument>

namespace parallax {

void SseResponseStream::feed(QByteArrayView bytes) {
    m_parser.feed(bytes, m_pending);
    for (const SseEvent& event : std::as_const(m_pending)) {
        if (failed())
            break;
        handleEvent(event);
    }
    m_pending.clear();
}

void SseResponseStream::flushAtEnd() {
    // The spec drops an event that no blank line closed. Servers that end the body right after their
    // last event still sent it whole, so it counts when its data is complete JSON (or [DONE]).
    const std::optional<SseEvent> tail = m_parser.takeUnterminatedEvent();
    if (!tail || failed() || m_outcome.complete)
        return;
    const QByteArray trimmed = tail->data.trimmed();
    if (trimmed.startsWith("[DONE]") || !QJsonDocument::fromJson(tail->data).isNull())
        handleEvent(*tail);
}

} // namespace parallax
