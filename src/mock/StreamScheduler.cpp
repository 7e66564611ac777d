#include "StreamScheduler.h"

namespace parallax::mock {

StreamScheduler::StreamScheduler(QObject* parent)
    : QObject(parent)
    , m_timer(this) {
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &StreamScheduler::onTimeout);
}

void StreamScheduler::schedule(PacedStream* stream, qint64 dueMs) {
    if (!stream || dueMs < 0)
        return;
    m_entries.append({stream, dueMs});
    if (!m_inTick)
        rearm();
}

void StreamScheduler::onTimeout() {
    m_inTick = true;
    const qint64 now = nowMs();
    // Index loop: advance() may schedule new streams, which append to the list.
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].stream && m_entries[i].dueMs <= now)
            m_entries[i].dueMs = m_entries[i].stream->advance(now);
    }
    m_entries.removeIf([](const Entry& entry) { return !entry.stream || entry.dueMs < 0; });
    m_inTick = false;
    rearm();
}

void StreamScheduler::rearm() {
    m_entries.removeIf([](const Entry& entry) { return !entry.stream; });
    if (m_entries.isEmpty()) {
        m_timer.stop();
        return;
    }
    qint64 earliest = m_entries.first().dueMs;
    for (const Entry& entry : std::as_const(m_entries))
        earliest = qMin(earliest, entry.dueMs);
    const qint64 delay = qMax<qint64>(earliest - nowMs(), kMinTickMs);
    if (m_timer.isActive() && m_timer.remainingTime() <= delay)
        return;
    m_timer.start(static_cast<int>(qMin<qint64>(delay, 24 * 3600 * 1000)));
}

} // namespace parallax::mock
