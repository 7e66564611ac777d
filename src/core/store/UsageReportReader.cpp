#include "UsageReportReader.h"

#include "store/Database.h"

#include <QDateTime>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace parallax {

UsageReport UsageReportReader::read(Database& database, const QDate& lastDay, int dayCount) {
    UsageReport report;
    const QDate firstDay = lastDay.addDays(1 - std::max(dayCount, 1));
    for (QDate day = firstDay; day <= lastDay; day = day.addDays(1))
        report.days.append(day);
    QSet<QString> profiles;
    const auto dayIndex = [&](const QDate& day) { return static_cast<qsizetype>(firstDay.daysTo(day)); };
    const auto fail = [&](const QSqlQuery& query) {
        report.error = query.lastError().text();
        return report;
    };

    // The ledger already holds local days: sum per day and profile in SQL (index spend_by_day).
    QSqlQuery spend(database.connection());
    spend.prepare(QStringLiteral("SELECT day, profile, SUM(cost_usd) FROM spend WHERE day >= ? AND day <= ? "
                                 "GROUP BY day, profile"));
    spend.addBindValue(firstDay.toString(Qt::ISODate));
    spend.addBindValue(lastDay.toString(Qt::ISODate));
    if (!spend.exec())
        return fail(spend);
    while (spend.next()) {
        const qsizetype index = dayIndex(QDate::fromString(spend.value(0).toString(), Qt::ISODate));
        if (index < 0 || index >= report.days.size())
            continue;
        const QString profile = spend.value(1).toString();
        QList<double>& values = report.spendUsd[profile];
        values.resize(report.days.size(), 0.0);
        values[index] += spend.value(2).toDouble();
        profiles.insert(profile);
    }

    // History times are UTC; an answer belongs to the local day it was made on, like the ledger's rows.
    QSqlQuery answers(database.connection());
    answers.setForwardOnly(true);
    answers.prepare(QStringLiteral(
        "SELECT r.created_at, a.profile, a.cost_usd IS NULL, a.cached, a.error_type IS NULL, a.text <> '', "
        "a.input_tokens IS NOT NULL OR a.output_tokens IS NOT NULL, a.ttft_ms, a.latency_ms "
        "FROM answers a JOIN runs r ON r.id = a.run_id WHERE r.created_at >= ?"));
    answers.addBindValue(QDateTime(firstDay, QTime(0, 0)).toUTC().toString(Qt::ISODateWithMs));
    if (!answers.exec())
        return fail(answers);
    QHash<QString, QList<qint64>> ttft;
    QHash<QString, QList<qint64>> total;
    while (answers.next()) {
        const QDate day =
            QDateTime::fromString(answers.value(0).toString(), Qt::ISODateWithMs).toLocalTime().date();
        const qsizetype index = dayIndex(day);
        if (index < 0 || index >= report.days.size())
            continue;
        const QString profile = answers.value(1).toString();
        const bool costUnknown = answers.value(2).toBool();
        const bool cached = answers.value(3).toBool();
        const bool succeeded = answers.value(4).toBool();
        const bool gotText = answers.value(5).toBool();
        const bool gotUsage = answers.value(6).toBool();
        if (cached)
            continue; // a cached answer cost nothing and repeats the original's timings
        // Something was generated (and billed) but no cost could be computed: unknown, not free.
        if (costUnknown && (succeeded || gotText || gotUsage)) {
            QList<int>& counts = report.unknownCostAnswers[profile];
            counts.resize(report.days.size(), 0);
            ++counts[index];
            profiles.insert(profile);
        }
        if (succeeded && !answers.value(8).isNull()) {
            total[profile].append(answers.value(8).toLongLong());
            if (!answers.value(7).isNull())
                ttft[profile].append(answers.value(7).toLongLong());
            profiles.insert(profile);
        }
    }
    for (auto it = total.constBegin(); it != total.constEnd(); ++it)
        report.latency.insert(it.key(), LatencySummary::from(ttft.value(it.key()), it.value()));

    report.profiles = QStringList(profiles.begin(), profiles.end());
    std::sort(report.profiles.begin(), report.profiles.end(),
              [](const QString& a, const QString& b) { return a.localeAwareCompare(b) < 0; });
    for (const QString& profile : std::as_const(report.profiles)) {
        report.spendUsd[profile].resize(report.days.size(), 0.0);
        report.unknownCostAnswers[profile].resize(report.days.size(), 0);
    }
    return report;
}

UsageReport UsageReportReader::readFile(const QString& path, const QDate& lastDay, int dayCount) {
    QString error;
    std::unique_ptr<Database> database = Database::open(path, &error);
    if (!database) {
        UsageReport report;
        report.error = error;
        return report;
    }
    return read(*database, lastDay, dayCount);
}

} // namespace parallax
