#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include "PacedStream.h"

namespace parallax::mock {

/// One timer for all of a server's streams. Benchmarks run 8 servers with many streams each;
/// a timer per stream at 500 tokens/s would wake the process tens of thousands of times a
/// second. Here the timer fires at the earliest due time but never more often than every
/// kMinTickMs, and each stream writes every token that became due meanwhile.
class StreamScheduler : public QObject {
    Q_OBJECT
public:
    explicit StreamScheduler(QObject* parent = nullptr);

    qint64 nowMs() const { return m_clock.elapsed(); }
    void schedule(PacedStream* stream, qint64 dueMs);
    int activeCount() const { return static_cast<int>(m_entries.size()); }

    static constexpr int kMinTickMs = 4;

private:
    void onTimeout();
    void rearm();

    struct Entry {
        QPointer<PacedStream> stream;
        qint64 dueMs;
    };
    QList<Entry> m_entries;
    QTimer m_timer; // parented, so moveToThread() takes it along
    QElapsedTimer m_clock;
    bool m_inTick = false;
};

} // namespace parallax::mock
