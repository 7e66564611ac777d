#include "engine/BudgetGuard.h"

#include "store/Database.h"
#include "store/SpendLedger.h"

#include <QTemporaryDir>
#include <QTest>

#include <ctime>
#include <memory>

using namespace parallax;

namespace {

// Local wall-clock times, so days and months are the user's whatever the machine's time zone.
QDateTime local(int year, int month, int day, int hour, int minute = 0) {
    return QDateTime(QDate(year, month, day), QTime(hour, minute), Qt::LocalTime);
}

const QDateTime kNow = local(2026, 6, 15, 12);

} // namespace

class TestBudgetGuard : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void noLimitsAlwaysReserve();
    void dailyLimit();
    void monthlyLimit();
    void limitMayBeReachedExactly();
    void reservationsAddUp();
    void releaseFreesTheReservation();
    void releasingTwiceOrUnknownIsHarmless();
    void spendCountsByLocalDayAndMonth();
    void spendCountsByLocalDayNotUtcDay();
    void withoutLedgerOnlyReservationsCount();

private:
    void spend(double usd, const QDateTime& at);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<SpendLedger> m_ledger;
};

void TestBudgetGuard::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QString error;
    m_database = Database::open(m_dir->filePath(QStringLiteral("parallax.sqlite")), &error);
    QVERIFY2(m_database, qPrintable(error));
    m_ledger = std::make_unique<SpendLedger>(*m_database);
}

void TestBudgetGuard::cleanup() {
    m_ledger.reset();
    m_database.reset();
    m_dir.reset();
}

void TestBudgetGuard::spend(double usd, const QDateTime& at) {
    static int requests = 0;
    QString error;
    QVERIFY2(m_ledger->record(QStringLiteral("req-%1").arg(++requests), QStringLiteral("openai:gpt-4o"),
                              QStringLiteral("gpt-4o"), usd, at, &error),
             qPrintable(error));
}

void TestBudgetGuard::noLimitsAlwaysReserve() {
    spend(1'000'000.0, kNow);
    BudgetGuard guard(m_ledger.get(), std::nullopt, std::nullopt);
    QString refusal;
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i) {
        const auto id = guard.reserve(1e9, kNow, &refusal);
        QVERIFY(id);
        QVERIFY(!ids.contains(*id));
        ids.append(*id);
    }
    QVERIFY(refusal.isEmpty());
    QCOMPARE(guard.status(kNow).reservedUsd, 5e9);
    QVERIFY(!guard.status(kNow).dailyLimitUsd);
    QVERIFY(!guard.status(kNow).monthlyLimitUsd);
}

void TestBudgetGuard::dailyLimit() {
    spend(0.75, local(2026, 6, 15, 9));
    BudgetGuard guard(m_ledger.get(), 1.0, std::nullopt);

    QString refusal;
    QVERIFY(!guard.reserve(0.5, kNow, &refusal));
    QVERIFY2(refusal.contains(QStringLiteral("daily")), qPrintable(refusal));
    QVERIFY2(refusal.contains(QStringLiteral("refused before sending")), qPrintable(refusal));
    QVERIFY2(refusal.contains(QStringLiteral("$0.5000")),
             qPrintable(refusal)); // what this request could cost
    QVERIFY2(refusal.contains(QStringLiteral("$0.7500")), qPrintable(refusal)); // already spent
    QVERIFY2(refusal.contains(QStringLiteral("$1.00")), qPrintable(refusal));   // the limit
    QVERIFY(!refusal.contains(QStringLiteral("monthly")));
    QCOMPARE(guard.status(kNow).reservedUsd, 0.0); // a refusal reserves nothing

    refusal.clear();
    QVERIFY(guard.reserve(0.125, kNow, &refusal));
    QVERIFY(refusal.isEmpty());

    // Tomorrow the daily budget starts again.
    QVERIFY(guard.reserve(0.5, local(2026, 6, 16, 8), &refusal));
}

void TestBudgetGuard::monthlyLimit() {
    spend(4.0, local(2026, 6, 1, 10));
    spend(0.5, local(2026, 6, 10, 10));
    spend(100.0, local(2026, 5, 31, 23, 59)); // last month: does not count
    BudgetGuard guard(m_ledger.get(), 10.0, 5.0);

    const BudgetGuard::Status status = guard.status(kNow);
    QCOMPARE(status.spentTodayUsd, 0.0);
    QCOMPARE(status.spentThisMonthUsd, 4.5);
    QCOMPARE(status.dailyLimitUsd.value_or(-1), 10.0);
    QCOMPARE(status.monthlyLimitUsd.value_or(-1), 5.0);

    QString refusal;
    QVERIFY(!guard.reserve(0.75, kNow, &refusal));
    QVERIFY2(refusal.contains(QStringLiteral("monthly")), qPrintable(refusal));
    QVERIFY2(refusal.contains(QStringLiteral("$5.00")), qPrintable(refusal));
    QVERIFY2(refusal.contains(QStringLiteral("$4.50")), qPrintable(refusal));
    QVERIFY(guard.reserve(0.25, kNow, &refusal));

    // Next month starts again.
    QVERIFY(guard.reserve(4.0, local(2026, 7, 1, 0, 5), &refusal));
}

void TestBudgetGuard::limitMayBeReachedExactly() {
    spend(0.75, kNow.addSecs(-60));
    BudgetGuard guard(m_ledger.get(), 1.0, 1.0);
    QString refusal;
    QVERIFY(guard.reserve(0.25, kNow, &refusal));
    QVERIFY(!guard.reserve(1.0 / 1024, kNow, &refusal));
}

void TestBudgetGuard::reservationsAddUp() {
    BudgetGuard guard(m_ledger.get(), 1.0, std::nullopt);
    QString refusal;
    // Two requests in flight cannot together exceed the limit, though each alone fits.
    const auto first = guard.reserve(0.625, kNow, &refusal);
    QVERIFY(first);
    QVERIFY(!guard.reserve(0.625, kNow, &refusal));
    QVERIFY2(refusal.contains(QStringLiteral("$0.6250")), qPrintable(refusal)); // spent or reserved
    QVERIFY(guard.reserve(0.375, kNow, &refusal));
    QCOMPARE(guard.status(kNow).reservedUsd, 1.0);
    QVERIFY(!guard.reserve(0.001, kNow, &refusal));

    // Reservations count against the monthly limit too.
    BudgetGuard monthly(m_ledger.get(), std::nullopt, 2.0);
    QVERIFY(monthly.reserve(1.5, kNow, &refusal));
    QVERIFY(!monthly.reserve(1.0, local(2026, 6, 20, 12), &refusal));
    QVERIFY2(refusal.contains(QStringLiteral("monthly")), qPrintable(refusal));
}

void TestBudgetGuard::releaseFreesTheReservation() {
    BudgetGuard guard(m_ledger.get(), 1.0, std::nullopt);
    QString refusal;
    const auto first = guard.reserve(0.75, kNow, &refusal);
    QVERIFY(first);
    QVERIFY(!guard.reserve(0.5, kNow, &refusal));

    guard.release(*first);
    QCOMPARE(guard.status(kNow).reservedUsd, 0.0);
    QVERIFY(guard.reserve(0.5, kNow, &refusal));

    // What the request actually cost is what counts once it is recorded.
    spend(0.5, kNow);
    QVERIFY(!guard.reserve(0.25, kNow, &refusal)); // 0.5 spent + 0.5 reserved + 0.25 > 1
}

void TestBudgetGuard::releasingTwiceOrUnknownIsHarmless() {
    BudgetGuard guard(m_ledger.get(), 1.0, std::nullopt);
    QString refusal;
    const auto a = guard.reserve(0.25, kNow, &refusal);
    const auto b = guard.reserve(0.5, kNow, &refusal);
    QVERIFY(a && b);
    guard.release(*a);
    guard.release(*a);
    guard.release(12345);
    QCOMPARE(guard.status(kNow).reservedUsd, 0.5);
}

void TestBudgetGuard::spendCountsByLocalDayAndMonth() {
    spend(1.0, local(2026, 6, 30, 23, 30));
    spend(2.0, local(2026, 7, 1, 0, 30));
    spend(4.0, local(2026, 7, 31, 23, 59));
    spend(8.0, local(2026, 8, 1, 0, 0));

    BudgetGuard guard(m_ledger.get(), std::nullopt, std::nullopt);
    QCOMPARE(guard.status(local(2026, 6, 30, 8)).spentTodayUsd, 1.0);
    QCOMPARE(guard.status(local(2026, 6, 30, 8)).spentThisMonthUsd, 1.0);
    QCOMPARE(guard.status(local(2026, 7, 1, 12)).spentTodayUsd, 2.0);
    QCOMPARE(guard.status(local(2026, 7, 1, 12)).spentThisMonthUsd, 6.0);
    QCOMPARE(guard.status(local(2026, 7, 15, 12)).spentTodayUsd, 0.0);
    QCOMPARE(guard.status(local(2026, 7, 31, 23, 59)).spentTodayUsd, 4.0);
    QCOMPARE(guard.status(local(2026, 8, 1, 0, 1)).spentThisMonthUsd, 8.0);
    QCOMPARE(guard.status(local(2025, 7, 1, 12)).spentThisMonthUsd, 0.0); // a year earlier
}

void TestBudgetGuard::spendCountsByLocalDayNotUtcDay() {
    // In New York (UTC−4 in summer), 02:00 UTC on 1 July is still 30 June.
    const QByteArray previousTz = qgetenv("TZ");
    qputenv("TZ", "EST5EDT,M3.2.0,M11.1.0"); // POSIX rule: needs no tzdata
    tzset();
    const QDateTime utc(QDate(2026, 7, 1), QTime(2, 0), Qt::UTC);
    const bool zoneTookEffect = utc.toLocalTime().date() == QDate(2026, 6, 30);
    if (zoneTookEffect) {
        spend(3.0, utc);
        BudgetGuard guard(m_ledger.get(), std::nullopt, std::nullopt);
        const QDateTime localJune30(QDate(2026, 6, 30), QTime(12, 0), Qt::LocalTime);
        QCOMPARE(guard.status(localJune30).spentTodayUsd, 3.0);
        QCOMPARE(guard.status(localJune30).spentThisMonthUsd, 3.0);
        // Asked with a UTC time, the day is still the local one.
        QCOMPARE(guard.status(QDateTime(QDate(2026, 7, 1), QTime(3, 0), Qt::UTC)).spentTodayUsd, 3.0);
        QCOMPARE(guard.status(QDateTime(QDate(2026, 7, 1), QTime(16, 0), Qt::UTC)).spentTodayUsd, 0.0);
    }
    if (previousTz.isNull())
        qunsetenv("TZ");
    else
        qputenv("TZ", previousTz);
    tzset();
    QVERIFY2(zoneTookEffect, "setting TZ did not change Qt's local time");
}

void TestBudgetGuard::withoutLedgerOnlyReservationsCount() {
    BudgetGuard guard(nullptr, 1.0, std::nullopt);
    QString refusal;
    QVERIFY(guard.reserve(0.75, kNow, &refusal));
    QVERIFY(!guard.reserve(0.5, kNow, &refusal));
    QCOMPARE(guard.status(kNow).spentTodayUsd, 0.0);
}

QTEST_GUILESS_MAIN(TestBudgetGuard)
#include "TestBudgetGuard.moc"
