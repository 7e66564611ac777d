#pragma once

#include <QDate>
#include <QDateTime>
#include <QString>

namespace parallax {

class Database;

/// What was actually spent, from the usage providers reported, by local day and month.
class SpendLedger {
public:
    explicit SpendLedger(Database& database);

    bool record(const QString& requestId, const QString& profile, const QString& model, double costUsd,
                const QDateTime& at, QString* error);
    double spentOnDay(const QDate& localDay) const;
    double spentInMonth(const QDate& anyLocalDayOfMonth) const;

private:
    double sum(const QString& column, const QString& value) const;

    Database& m_database;
};

} // namespace parallax
