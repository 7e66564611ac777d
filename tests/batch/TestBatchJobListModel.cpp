// The list of earlier batches: a line per job with its input, rows, profiles, mode and counts; which jobs
// are unfinished; a model that passes QAbstractItemModelTester through resets.

#include "batch/BatchJobListModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace parallax;

namespace {

BatchStore::JobSummary summary(qint64 id, QMap<BatchItem::State, int> counts, bool providerMode = false) {
    BatchStore::JobSummary result;
    result.job.id = id;
    result.job.inputPath = QStringLiteral("/data/in-%1.csv").arg(id);
    result.job.profiles = {QStringLiteral("gpt"), QStringLiteral("claude")};
    result.job.createdAt = QDateTime(QDate(2025, 3, 14), QTime(9, 30), Qt::UTC);
    result.job.settings.providerMode = providerMode;
    result.job.settings.concurrency = 4;
    result.counts = std::move(counts);
    return result;
}

} // namespace

class TestBatchJobListModel : public QObject {
    Q_OBJECT

private slots:
    void describesEachJob() {
        BatchJobListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setJobs({summary(9, {{BatchItem::State::Pending, 3}, {BatchItem::State::Done, 5}}, true),
                       summary(4, {{BatchItem::State::Done, 6}, {BatchItem::State::Failed, 2}}),
                       summary(2, {{BatchItem::State::Running, 1}, {BatchItem::State::Cancelled, 1}})});
        QCOMPARE(model.rowCount(), 3);

        const QString first = model.data(model.index(0)).toString();
        QVERIFY2(first.endsWith(
                     QStringLiteral(" · in-9.csv · 4 row(s) · gpt, claude · provider · 5 done, 3 pending")),
                 qPrintable(first));
        QVERIFY2(
            first.startsWith(QLocale().toString(
                QDateTime(QDate(2025, 3, 14), QTime(9, 30), Qt::UTC).toLocalTime(), QLocale::ShortFormat)),
            qPrintable(first));
        QVERIFY(model.data(model.index(1)).toString().endsWith(QStringLiteral("local · 6 done, 2 failed")));
        QVERIFY(model.data(model.index(2)).toString().endsWith(QStringLiteral("1 cancelled, 1 running")));
        QCOMPARE(model.data(model.index(1), BatchJobListModel::JobIdRole).toLongLong(), 4);
        QCOMPARE(model.data(model.index(0), BatchJobListModel::UnfinishedRole).toBool(), true);
        QCOMPARE(model.data(model.index(1), BatchJobListModel::UnfinishedRole).toBool(), false);
        const QString tip = model.data(model.index(1), Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("/data/in-4.csv")) &&
                     tip.contains(QStringLiteral("4 request(s)")),
                 qPrintable(tip));

        QCOMPARE(model.rowOf(2), 2);
        QCOMPARE(model.rowOf(77), -1);
        QCOMPARE(model.unfinishedJobs(), (QList<qint64>{9, 2}));
        QCOMPARE(model.unfinishedJobs(9), QList<qint64>{2}); // the one a window shows is left out

        model.setJobs({});
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.unfinishedJobs().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBatchJobListModel)
#include "TestBatchJobListModel.moc"
