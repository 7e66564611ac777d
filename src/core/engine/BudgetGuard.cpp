#include "BudgetGuard.h"

#include "store/SpendLedger.h"

namespace parallax {

namespace {
QString usd(double value) {
    return QStringLiteral("$%1").arg(value, 0, 'f', value < 1 ? 4 : 2);
}
} // namespace

BudgetGuard::BudgetGuard(SpendLedger* ledger, std::optional<double> dailyLimitUsd,
                         std::optional<double> monthlyLimitUsd)
    : m_ledger(ledger)
    , m_dailyLimit(dailyLimitUsd)
    , m_monthlyLimit(monthlyLimitUsd) {}

BudgetGuard::Status BudgetGuard::status(const QDateTime& now) const {
    Status status;
    status.dailyLimitUsd = m_dailyLimit;
    status.monthlyLimitUsd = m_monthlyLimit;
    if (m_ledger) {
        const QDate today = now.toLocalTime().date();
        status.spentTodayUsd = m_ledger->spentOnDay(today);
        status.spentThisMonthUsd = m_ledger->spentInMonth(today);
    }
    for (double amount : m_reservations)
        status.reservedUsd += amount;
    return status;
}

std::optional<qint64> BudgetGuard::reserve(double upperBoundUsd, const QDateTime& now, QString* refusal) {
    if (m_dailyLimit || m_monthlyLimit) {
        const Status current = status(now);
        const auto check = [&](const std::optional<double>& limit, double spent, const char* period) {
            if (!limit || spent + current.reservedUsd + upperBoundUsd <= *limit)
                return true;
            *refusal = QStringLiteral(
                           "refused before sending: this request could cost up to %1, and %2 of the %3 %4 "
                           "budget is spent or reserved")
                           .arg(usd(upperBoundUsd), usd(spent + current.reservedUsd), usd(*limit),
                                QLatin1String(period));
            return false;
        };
        if (!check(m_dailyLimit, current.spentTodayUsd, "daily") ||
            !check(m_monthlyLimit, current.spentThisMonthUsd, "monthly"))
            return std::nullopt;
    }
    const qint64 id = m_nextReservation++;
    m_reservations.insert(id, upperBoundUsd);
    return id;
}

void BudgetGuard::release(qint64 reservation) {
    m_reservations.remove(reservation);
}

} // namespace parallax
