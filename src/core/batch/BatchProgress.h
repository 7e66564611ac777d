#pragma once

#include <QElapsedTimer>
#include <QString>

#include <optional>

namespace parallax {

/// Counts, throughput, time left and spend of a running batch, told the same way by the CLI's progress
/// line and the window's batch panel. Throughput counts only items finished since start(): what an
/// earlier run (before a resume) finished says nothing about this run's speed.
class BatchProgress {
public:
    /// Starts the clock; `finishedAtStart` items were finished before this run.
    void start(int finishedAtStart);
    void update(int finished, int total, int failed, double spentUsd);

    int finished() const { return m_finished; }
    int total() const { return m_total; }
    int failed() const { return m_failed; }
    double spentUsd() const { return m_spentUsd; }
    qint64 elapsedMs() const { return m_clock.isValid() ? m_clock.elapsed() : 0; }

    /// Items finished per minute in this run; 0 before the first one.
    double itemsPerMinute() const;
    /// Seconds until the rest is finished at the current speed; empty while the speed is unknown.
    std::optional<qint64> etaSeconds() const;
    /// "12/40 items · 1 failed · 30.0 items/min · ETA 1 min 4 s · $0.000120 spent"
    QString summary() const;

    /// "45 s", "3 min 5 s", "2 h 10 min".
    static QString duration(qint64 seconds);

private:
    QElapsedTimer m_clock;
    int m_finishedAtStart = 0;
    int m_finished = 0;
    int m_total = 0;
    int m_failed = 0;
    double m_spentUsd = 0;
};

} // namespace parallax
