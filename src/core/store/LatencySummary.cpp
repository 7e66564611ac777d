#include "LatencySummary.h"

#include <algorithm>
#include <cmath>

namespace parallax {

std::optional<double> LatencySummary::percentile(QList<qint64> values, double p) {
    if (values.isEmpty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<qsizetype>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    return static_cast<double>(values.at(std::clamp<qsizetype>(rank, 1, values.size()) - 1));
}

LatencySummary LatencySummary::from(QList<qint64> ttftMs, QList<qint64> totalMs) {
    LatencySummary summary;
    summary.samples = static_cast<int>(totalMs.size());
    summary.ttftMedianMs = percentile(ttftMs, 50);
    summary.ttftP95Ms = percentile(ttftMs, 95);
    summary.totalMedianMs = percentile(totalMs, 50);
    summary.totalP95Ms = percentile(totalMs, 95);
    return summary;
}

} // namespace parallax
