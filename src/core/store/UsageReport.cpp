#include "UsageReport.h"

namespace parallax {

double UsageReport::totalSpendUsd() const {
    double total = 0;
    for (const QList<double>& values : spendUsd)
        for (double value : values)
            total += value;
    return total;
}

int UsageReport::totalUnknownCostAnswers() const {
    int total = 0;
    for (const QList<int>& counts : unknownCostAnswers)
        for (int count : counts)
            total += count;
    return total;
}

double UsageReport::spendOn(const QString& profile, const QDate& day) const {
    const qsizetype index = days.indexOf(day);
    return index < 0 ? 0.0 : spendUsd.value(profile).value(index, 0.0);
}

int UsageReport::unknownCostOn(const QString& profile, const QDate& day) const {
    const qsizetype index = days.indexOf(day);
    return index < 0 ? 0 : unknownCostAnswers.value(profile).value(index, 0);
}

QStringList UsageReport::profilesWithSpend() const {
    QStringList result;
    for (const QString& profile : profiles) {
        for (double value : spendUsd.value(profile)) {
            if (value > 0) {
                result.append(profile);
                break;
            }
        }
    }
    return result;
}

} // namespace parallax
