#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

#include <optional>

namespace parallax {

class SpendLedger;

/// Daily and monthly spending limits. Before a request is sent its upper-bound cost is reserved against
/// what was already spent plus what requests in flight may still cost; a request that could exceed a
/// limit is refused before any byte leaves. Every hop of a fallback chain and every retry is checked
/// on its own, so no path around the budget exists. When a request ends its reservation is released
/// and the actual cost, from reported usage, is recorded.
class BudgetGuard {
public:
    struct Status {
        std::optional<double> dailyLimitUsd;
        std::optional<double> monthlyLimitUsd;
        double spentTodayUsd = 0;
        double spentThisMonthUsd = 0;
        double reservedUsd = 0;
    };

    BudgetGuard(SpendLedger* ledger, std::optional<double> dailyLimitUsd,
                std::optional<double> monthlyLimitUsd);

    /// A reservation id, or the sentence explaining the refusal.
    std::optional<qint64> reserve(double upperBoundUsd, const QDateTime& now, QString* refusal);
    void release(qint64 reservation);

    Status status(const QDateTime& now) const;

private:
    SpendLedger* m_ledger;
    std::optional<double> m_dailyLimit;
    std::optional<double> m_monthlyLimit;
    QHash<qint64, double> m_reservations;
    qint64 m_nextReservation = 1;
};

} // namespace parallax
