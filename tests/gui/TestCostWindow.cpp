#include "GuiTestSupport.h"

#include "app/CostWindow.h"
#include "store/Database.h"
#include "store/HistoryStore.h"
#include "store/LatencySummary.h"
#include "store/SpendLedger.h"

#include <QAction>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QLabel>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QTest>

using namespace parallax;

namespace {
QDateTime noonDaysAgo(int days) {
    return QDateTime(QDate::currentDate().addDays(-days), QTime(12, 0));
}

Answer answer(const QString& profile, std::optional<double> costUsd, qint64 ttftMs, qint64 latencyMs) {
    Answer result;
    result.profile = profile;
    result.model = profile + QStringLiteral("-model");
    result.text = QStringLiteral("An answer.");
    result.costUsd = costUsd;
    result.ttftMs = ttftMs;
    result.latencyMs = latencyMs;
    return result;
}

RunRecord run(const QString& id, int daysAgo, QList<Answer> answers) {
    RunRecord record;
    record.requestId = id;
    record.createdAt = noonDaysAgo(daysAgo).toUTC();
    record.command = QStringLiteral("compare");
    record.prompt = QStringLiteral("A question");
    record.answers = std::move(answers);
    return record;
}

QBarSet* barSet(QAbstractBarSeries* series, const QString& label) {
    for (QBarSet* set : series->barSets()) {
        if (set->label() == label)
            return set;
    }
    return nullptr;
}
} // namespace

class TestCostWindow : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;

    /// Known spend: today gpt $0.25 and claude $0.50; two days ago gpt $0.50 (two rows) and claude $1;
    /// 40 days ago gpt $9 (outside the window). History: latencies for gpt and claude, one gemini answer
    /// without a price (unknown cost), one cached and one failed answer that must not count.
    void seed() {
        QString error;
        std::unique_ptr<Database> database =
            Database::open(m_dir->path() + QStringLiteral("/parallax.db"), &error);
        QVERIFY2(database, qPrintable(error));
        SpendLedger ledger(*database);
        const struct {
            const char* profile;
            double usd;
            int daysAgo;
        } rows[] = {{"gpt", 0.25, 0},  {"claude", 0.5, 0}, {"gpt", 0.125, 2},
                    {"gpt", 0.375, 2}, {"claude", 1.0, 2}, {"gpt", 9.0, 40}};
        for (const auto& row : rows)
            QVERIFY2(ledger.record(QStringLiteral("r"), QString::fromLatin1(row.profile), QStringLiteral("m"),
                                   row.usd, noonDaysAgo(row.daysAgo), &error),
                     qPrintable(error));

        HistoryStore history(*database);
        Answer cached = answer(QStringLiteral("gpt"), 0.0, 1, 2);
        cached.cached = true;
        Answer failed = answer(QStringLiteral("claude"), std::nullopt, 50, 60);
        failed.text.clear();
        failed.error = ProviderError{};
        const RunRecord runs[] = {
            run(QStringLiteral("a"), 0,
                {answer(QStringLiteral("gpt"), 0.25, 100, 1000),
                 answer(QStringLiteral("claude"), 0.5, 300, 3000),
                 answer(QStringLiteral("gemini"), std::nullopt, 200, 2000)}),
            run(QStringLiteral("b"), 2,
                {answer(QStringLiteral("gpt"), 0.125, 200, 2000),
                 answer(QStringLiteral("claude"), 1.0, 500, 5000), cached, failed}),
            run(QStringLiteral("c"), 40, {answer(QStringLiteral("gemini"), std::nullopt, 1, 1)}),
        };
        for (const RunRecord& record : runs)
            QVERIFY2(history.save(record, &error), qPrintable(error));

        QFile settings(m_dir->path() + QStringLiteral("/settings.json"));
        QVERIFY(settings.open(QIODevice::WriteOnly));
        settings.write(R"({"budget": {"daily_usd": 5}})");
    }

private slots:
    void initTestCase() { test::setUpApplication("TestCostWindow"); }
    void init() { m_dir = test::freshDataDir(); }

    void percentilesAreMeasuredValues() {
        QCOMPARE(LatencySummary::percentile({}, 50), std::nullopt);
        QCOMPARE(LatencySummary::percentile({7}, 95), std::optional<double>(7));
        QCOMPARE(LatencySummary::percentile({4, 1, 3, 2}, 50), std::optional<double>(2));
        QList<qint64> hundred;
        for (int i = 100; i >= 1; --i)
            hundred.append(i);
        QCOMPARE(LatencySummary::percentile(hundred, 95), std::optional<double>(95));
        QCOMPARE(LatencySummary::percentile(hundred, 100), std::optional<double>(100));
    }

    void showsSpendPerProfileAndDayAndLatency() {
        seed();
        auto window = test::makeWindow();
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        // The status bar: today's known spend against the daily budget.
        QCOMPARE(window->findChild<QLabel*>(QStringLiteral("spendLabel"))->text(),
                 QStringLiteral("Today $0.75 / $5.00"));

        window->findChild<QAction*>(QStringLiteral("costAction"))->trigger();
        auto* costWindow = window->findChild<CostWindow*>();
        QVERIFY(costWindow);
        QSignalSpy shown(costWindow, &CostWindow::reportShown);
        QVERIFY(shown.count() > 0 || shown.wait(10'000));
        QVERIFY(costWindow->isVisible());
        QVERIFY2(costWindow->report().error.isEmpty(), qPrintable(costWindow->report().error));

        // Spend: one stacked series, one set per profile with a recorded cost, 30 days, today last.
        const QList<QAbstractSeries*> spendSeries = costWindow->spendChart()->series();
        QCOMPARE(spendSeries.size(), 1);
        auto* stacked = qobject_cast<QStackedBarSeries*>(spendSeries.first());
        QVERIFY(stacked);
        QCOMPARE(stacked->count(), 2); // gemini has no known cost: it is not drawn as $0
        QBarSet* gpt = barSet(stacked, QStringLiteral("gpt"));
        QBarSet* claude = barSet(stacked, QStringLiteral("claude"));
        QVERIFY(gpt && claude);
        QCOMPARE(gpt->count(), CostWindow::dayCount);
        QCOMPARE(gpt->at(29), 0.25);
        QCOMPARE(gpt->at(27), 0.5);
        QCOMPARE(claude->at(29), 0.5);
        QCOMPARE(claude->at(27), 1.0);
        double rest = 0;
        for (int day = 0; day < CostWindow::dayCount; ++day) {
            if (day != 27 && day != 29)
                rest += gpt->at(day) + claude->at(day);
        }
        QCOMPARE(rest, 0.0); // the $9 of 40 days ago is outside the window
        QVERIFY(costWindow->summaryLabel()->text().contains(QStringLiteral("$2.25")));

        // Unknown cost is said, per profile, and not counted.
        const QString unknown = costWindow->unknownCostLabel()->text();
        QVERIFY2(unknown.contains(QStringLiteral("Cost unknown for 1 answer")), qPrintable(unknown));
        QVERIFY2(unknown.contains(QStringLiteral("gemini: 1")), qPrintable(unknown));

        // Latency: median and p95 of first token and total, per profile, in seconds.
        const QList<QAbstractSeries*> latencySeries = costWindow->latencyChart()->series();
        QCOMPARE(latencySeries.size(), 1);
        auto* bars = qobject_cast<QBarSeries*>(latencySeries.first());
        QVERIFY(bars);
        QCOMPARE(bars->count(), 4);
        // Categories are the profiles with latencies, sorted: claude, gemini, gpt.
        QBarSet* totalMedian = barSet(bars, QStringLiteral("total, median"));
        QBarSet* totalP95 = barSet(bars, QStringLiteral("total, p95"));
        QBarSet* firstTokenMedian = barSet(bars, QStringLiteral("first token, median"));
        QVERIFY(totalMedian && totalP95 && firstTokenMedian);
        QCOMPARE(totalMedian->count(), 3);
        QCOMPARE(totalMedian->at(0), 3.0); // claude: 3 s and 5 s (the failed answer does not count)
        QCOMPARE(totalP95->at(0), 5.0);
        QCOMPARE(totalMedian->at(1), 2.0); // gemini
        QCOMPARE(totalMedian->at(2), 1.0); // gpt: 1 s and 2 s (the cached answer does not count)
        QCOMPARE(totalP95->at(2), 2.0);
        QCOMPARE(firstTokenMedian->at(2), 0.1);
    }

    void emptyHistorySaysSo() {
        auto window = test::makeWindow();
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QCOMPARE(window->findChild<QLabel*>(QStringLiteral("spendLabel"))->text(),
                 QStringLiteral("Today $0.00"));
        window->findChild<QAction*>(QStringLiteral("costAction"))->trigger();
        auto* costWindow = window->findChild<CostWindow*>();
        QVERIFY(costWindow);
        QSignalSpy shown(costWindow, &CostWindow::reportShown);
        QVERIFY(shown.count() > 0 || shown.wait(10'000));
        auto* stacked = qobject_cast<QStackedBarSeries*>(costWindow->spendChart()->series().value(0));
        QVERIFY(stacked);
        QCOMPARE(stacked->count(), 0);
        QVERIFY(costWindow->summaryLabel()->text().contains(QStringLiteral("$0.00")));
        QVERIFY(costWindow->unknownCostLabel()->text().contains(QStringLiteral("known cost")));
    }
};

QTEST_MAIN(TestCostWindow)
#include "TestCostWindow.moc"
