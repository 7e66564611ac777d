#include "BatchProgress.h"

namespace parallax {

void BatchProgress::start(int finishedAtStart) {
    m_finishedAtStart = finishedAtStart;
    m_finished = finishedAtStart;
    m_clock.start();
}

void BatchProgress::update(int finished, int total, int failed, double spentUsd) {
    m_finished = finished;
    m_total = total;
    m_failed = failed;
    m_spentUsd = spentUsd;
}

double BatchProgress::itemsPerMinute() const {
    const qint64 elapsed = elapsedMs();
    const int doneHere = m_finished - m_finishedAtStart;
    return elapsed > 0 && doneHere > 0 ? doneHere * 60'000.0 / static_cast<double>(elapsed) : 0;
}

std::optional<qint64> BatchProgress::etaSeconds() const {
    const double perMinute = itemsPerMinute();
    if (perMinute <= 0)
        return std::nullopt;
    return static_cast<qint64>(qMax(0, m_total - m_finished) * 60.0 / perMinute);
}

QString BatchProgress::summary() const {
    const std::optional<qint64> eta = etaSeconds();
    return QStringLiteral("%1/%2 items · %3 failed · %4 items/min · ETA %5 · $%6 spent")
        .arg(m_finished)
        .arg(m_total)
        .arg(m_failed)
        .arg(itemsPerMinute(), 0, 'f', 1)
        .arg(eta ? duration(*eta) : QStringLiteral("?"))
        .arg(m_spentUsd, 0, 'f', 6);
}

QString BatchProgress::duration(qint64 seconds) {
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

} // namespace parallax
