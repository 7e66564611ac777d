#pragma once

#include <QList>
#include <QtGlobal>

#include <optional>

namespace parallax {

/// Median and 95th percentile of one profile's time to first token and total time, in milliseconds.
/// Percentiles use the nearest-rank method: every value shown is a time that was actually measured.
struct LatencySummary {
    int samples = 0;
    std::optional<double> ttftMedianMs;
    std::optional<double> ttftP95Ms;
    std::optional<double> totalMedianMs;
    std::optional<double> totalP95Ms;

    static LatencySummary from(QList<qint64> ttftMs, QList<qint64> totalMs);
    /// Nearest-rank percentile (0 < p <= 100) of `values`; empty when there are none.
    static std::optional<double> percentile(QList<qint64> values, double p);
};

} // namespace parallax
