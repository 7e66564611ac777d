#include "SseResponseStream.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace parallax {

namespace {
// A whole non-streamed answer is small; past this the body is certainly not one.
constexpr qsizetype kMaxWholeBodyBytes = 16 * 1024 * 1024;
} // namespace

void SseResponseStream::feed(QByteArrayView bytes) {
    if (!m_sawEvent && m_bodyBeforeFirstEvent.size() < kMaxWholeBodyBytes)
        m_bodyBeforeFirstEvent.append(bytes);
    m_parser.feed(bytes, m_pending);
    if (!m_pending.isEmpty() && !m_sawEvent) {
        m_sawEvent = true;
        m_bodyBeforeFirstEvent = QByteArray();
    }
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
    if (tail && !failed() && !m_outcome.complete) {
        m_sawEvent = true;
        const QByteArray trimmed = tail->data.trimmed();
        if (trimmed.startsWith("[DONE]") || !QJsonDocument::fromJson(tail->data).isNull())
            handleEvent(*tail);
    }
    if (!m_sawEvent && !failed() && !m_outcome.complete)
        handleWholeJsonBody();
}

void SseResponseStream::handleWholeJsonBody() {
    const QJsonDocument document = QJsonDocument::fromJson(m_bodyBeforeFirstEvent);
    if (document.isObject()) {
        handleEvent(SseEvent{{}, m_bodyBeforeFirstEvent, {}});
    } else if (document.isArray()) {
        // Gemini's stream endpoint without alt=sse sends a JSON array of chunks.
        for (const QJsonValue& element : document.array()) {
            if (failed())
                break;
            handleEvent(SseEvent{{}, QJsonDocument(element.toObject()).toJson(QJsonDocument::Compact), {}});
        }
    }
    m_bodyBeforeFirstEvent = QByteArray();
}

} // namespace parallax
