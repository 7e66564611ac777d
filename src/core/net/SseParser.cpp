#include "SseParser.h"

namespace parallax {

namespace {
constexpr QByteArrayView kBom("\xEF\xBB\xBF");
}

void SseParser::feed(QByteArrayView chunk, QList<SseEvent>& events) {
    if (!m_bomChecked) {
        // A leading BOM may itself arrive split over chunks; hold bytes until three are seen.
        m_bomProbe.append(chunk);
        if (m_bomProbe.size() < kBom.size() && kBom.startsWith(m_bomProbe))
            return;
        m_bomChecked = true;
        QByteArray probe;
        probe.swap(m_bomProbe);
        const QByteArrayView start = QByteArrayView(probe).startsWith(kBom)
                                         ? QByteArrayView(probe).sliced(kBom.size())
                                         : QByteArrayView(probe);
        m_lines.feed(start, [&](QByteArrayView line) { processLine(line, events); });
        return;
    }
    m_lines.feed(chunk, [&](QByteArrayView line) { processLine(line, events); });
}

std::optional<SseEvent> SseParser::takeUnterminatedEvent() {
    if (!m_bomChecked) {
        m_bomChecked = true;
        m_lines.feed(m_bomProbe, [](QByteArrayView) {});
    }
    QList<SseEvent> ignored;
    const QByteArray rest = m_lines.takeRemainder();
    if (!rest.isEmpty())
        processLine(rest, ignored);
    if (!ignored.isEmpty() || !m_hasData)
        return std::nullopt;
    SseEvent event{m_eventType, m_data, m_lastEventId};
    m_eventType.clear();
    m_data.clear();
    m_hasData = false;
    return event;
}

void SseParser::processLine(QByteArrayView line, QList<SseEvent>& events) {
    if (line.isEmpty()) {
        if (m_hasData)
            events.append(SseEvent{m_eventType, m_data, m_lastEventId});
        m_eventType.clear();
        m_data.clear();
        m_hasData = false;
        return;
    }
    if (line.front() == ':')
        return; // comment / keep-alive

    QByteArrayView field = line;
    QByteArrayView value;
    if (const qsizetype colon = line.indexOf(':'); colon >= 0) {
        field = line.first(colon);
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }

    if (field == "data") {
        if (m_hasData)
            m_data.append('\n');
        m_data.append(value);
        m_hasData = true;
    } else if (field == "event") {
        m_eventType = value.toByteArray();
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_lastEventId = value.toByteArray();
    }
    // `retry` and unknown fields do not matter to a client that never reconnects.
}

} // namespace parallax
