#include "SpendLedger.h"

#include "store/Database.h"

#include <QSqlError>
#include <QSqlQuery>

namespace parallax {

SpendLedger::SpendLedger(Database& database)
    : m_database(database) {}

bool SpendLedger::record(const QString& requestId, const QString& profile, const QString& model,
                         double costUsd, const QDateTime& at, QString* error) {
    QSqlQuery& query =
        m_database.prepared(QStringLiteral("INSERT INTO spend (created_at, day, month, request_id, profile, "
                                           "model, cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    const QDate localDay = at.toLocalTime().date();
    query.addBindValue(at.toUTC().toString(Qt::ISODateWithMs));
    query.addBindValue(localDay.toString(Qt::ISODate));
    query.addBindValue(localDay.toString(QStringLiteral("yyyy-MM")));
    query.addBindValue(requestId);
    query.addBindValue(profile);
    query.addBindValue(model);
    query.addBindValue(costUsd);
    if (!query.exec()) {
        *error = query.lastError().text();
        return false;
    }
    return true;
}

double SpendLedger::sum(const QString& column, const QString& value) const {
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("SELECT COALESCE(SUM(cost_usd), 0) FROM spend WHERE %1 = ?").arg(column));
    query.addBindValue(value);
    if (query.exec() && query.next())
        return query.value(0).toDouble();
    return 0;
}

double SpendLedger::spentOnDay(const QDate& localDay) const {
    return sum(QStringLiteral("day"), localDay.toString(Qt::ISODate));
}

double SpendLedger::spentInMonth(const QDate& anyLocalDayOfMonth) const {
    return sum(QStringLiteral("month"), anyLocalDayOfMonth.toString(QStringLiteral("yyyy-MM")));
}

} // namespace parallax
