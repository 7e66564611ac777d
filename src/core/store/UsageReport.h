#pragma once

#include "store/LatencySummary.h"

#include <QDate>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace parallax {

/// Spend and latency per profile over the last days, as the cost window shows them. Spend is what the
/// ledger recorded from the usage providers reported; answers whose cost is unknown (no price, or no
/// usage reported) are counted separately and never counted as $0.
struct UsageReport {
    QList<QDate> days;    ///< oldest first, local days
    QStringList profiles; ///< every profile with spend, unknown-cost answers or latencies, sorted
    QHash<QString, QList<double>> spendUsd;        ///< per profile, one value per entry of `days`
    QHash<QString, QList<int>> unknownCostAnswers; ///< per profile, one count per entry of `days`
    QHash<QString, LatencySummary> latency; ///< per profile, answers that succeeded and were not cached
    QString error;                          ///< set when the database could not be read

    double totalSpendUsd() const;
    int totalUnknownCostAnswers() const;
    double spendOn(const QString& profile, const QDate& day) const;
    int unknownCostOn(const QString& profile, const QDate& day) const;
    /// Profiles that have at least one recorded cost in the period (the spend chart's series).
    QStringList profilesWithSpend() const;
};

} // namespace parallax
