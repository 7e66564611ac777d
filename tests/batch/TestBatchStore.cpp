// BatchStore's jobs as a window lists and reopens them: the settings a job was started with, its items'
// counts per state, only the jobs of one key prefix, newest first; and jobs from before those settings
// were recorded (schema 3) read back in the mode they ran in.

#include "batch/BatchStore.h"
#include "store/Database.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace parallax;

namespace {

QList<BatchRow> rows(int count) {
    QList<BatchRow> result;
    for (int i = 0; i < count; ++i)
        result.append(BatchRow{i + 2, QStringLiteral("r%1").arg(i), QStringLiteral("prompt %1").arg(i), {}});
    return result;
}

} // namespace

class TestBatchStore : public QObject {
    Q_OBJECT

private slots:
    void listsJobsWithTheirSettingsAndCounts() {
        QTemporaryDir dir;
        QString error;
        const std::unique_ptr<Database> database = Database::open(dir.filePath("parallax.db"), &error);
        QVERIFY2(database, qPrintable(error));
        BatchStore store(*database);

        const std::optional<qint64> older =
            store.createJob(QStringLiteral("window-a"), QStringLiteral("/in/first.csv"), QStringLiteral(""),
                            {QStringLiteral("gpt"), QStringLiteral("claude")}, rows(3),
                            BatchStore::RunSettings{false, 6, 1.5}, &error);
        QVERIFY2(older, qPrintable(error));
        const std::optional<qint64> cli = store.createJob(
            QStringLiteral("0123abcd"), QStringLiteral("/in/cli.csv"), QStringLiteral("/out.jsonl"),
            {QStringLiteral("gpt")}, rows(1), BatchStore::RunSettings{}, &error);
        QVERIFY2(cli, qPrintable(error));
        const std::optional<qint64> newer = store.createJob(
            QStringLiteral("window-b"), QStringLiteral("/in/second.jsonl"), QStringLiteral(""),
            {QStringLiteral("gpt")}, rows(2), BatchStore::RunSettings{true, 0, std::nullopt}, &error);
        QVERIFY2(newer, qPrintable(error));

        // The older job: two done, one failed, one running (a window closed), two pending.
        const QList<BatchItem> items = store.items(*older);
        QCOMPARE(items.size(), 6);
        QVERIFY(store.markFinished(items.at(0).id, BatchItem::State::Done, QStringLiteral("{}"), &error));
        QVERIFY(store.markFinished(items.at(1).id, BatchItem::State::Done, QStringLiteral("{}"), &error));
        QVERIFY(store.markFinished(items.at(2).id, BatchItem::State::Failed, QStringLiteral("{}"), &error));
        QVERIFY(store.markRunning(items.at(3).id, &error));

        const QList<BatchStore::JobSummary> jobs = store.jobs(QStringLiteral("window-"), &error);
        QCOMPARE(jobs.size(), 2); // not the CLI's
        QCOMPARE(jobs.at(0).job.id, *newer);
        QCOMPARE(jobs.at(1).job.id, *older);

        const BatchStore::JobSummary& first = jobs.at(1);
        QCOMPARE(first.job.inputPath, QStringLiteral("/in/first.csv"));
        QCOMPARE(first.job.profiles, (QStringList{"gpt", "claude"}));
        QVERIFY(first.job.createdAt.isValid());
        QVERIFY(qAbs(first.job.createdAt.secsTo(QDateTime::currentDateTimeUtc())) < 600);
        QCOMPARE(first.job.settings.providerMode, false);
        QCOMPARE(first.job.settings.concurrency, 6);
        QCOMPARE(first.job.settings.budgetUsd, std::optional<double>(1.5));
        QCOMPARE(first.total(), 6);
        QCOMPARE(first.rows(), 3);
        QCOMPARE(first.counts.value(BatchItem::State::Done), 2);
        QCOMPARE(first.counts.value(BatchItem::State::Failed), 1);
        QCOMPARE(first.counts.value(BatchItem::State::Running), 1);
        QCOMPARE(first.counts.value(BatchItem::State::Pending), 2);
        QCOMPARE(first.unfinished(), 3);

        const BatchStore::JobSummary& second = jobs.at(0);
        QCOMPARE(second.job.settings.providerMode, true);
        QCOMPARE(second.job.settings.concurrency, 0);
        QVERIFY(!second.job.settings.budgetUsd);
        QCOMPARE(second.rows(), 2);
        QCOMPARE(second.unfinished(), 2);

        // Found again by id, as the window reopens it.
        const std::optional<BatchStore::Job> job = store.job(*older);
        QVERIFY(job);
        QCOMPARE(job->settings.concurrency, 6);
        QVERIFY(!store.job(*newer + 100));
    }

    void jobsFromBeforeTheirSettingsKeepTheirMode() {
        QTemporaryDir dir;
        const QString path = dir.filePath("parallax.db");
        QString error;
        qint64 local = 0;
        qint64 provider = 0;
        {
            const std::unique_ptr<Database> database = Database::open(path, &error);
            QVERIFY2(database, qPrintable(error));
            BatchStore store(*database);
            local = store
                        .createJob(QStringLiteral("window-l"), QStringLiteral("/a.csv"), QStringLiteral(""),
                                   {QStringLiteral("gpt")}, rows(1), BatchStore::RunSettings{}, &error)
                        .value_or(0);
            provider =
                store
                    .createJob(QStringLiteral("window-p"), QStringLiteral("/b.csv"), QStringLiteral(""),
                               {QStringLiteral("gpt")}, rows(1), BatchStore::RunSettings{}, &error)
                    .value_or(0);
            QVERIFY(local != 0 && provider != 0);
            // Back to schema 3: no settings columns, and one job that had a provider batch.
            QSqlQuery query(database->connection());
            QVERIFY(
                query.exec(QStringLiteral("INSERT INTO batch_remote (job_id, profile_index, kind, base_url, "
                                          "phase, created_at, updated_at) VALUES (%1, 0, 'openai', "
                                          "'http://x', 'polling', 't', 't')")
                               .arg(provider)));
            for (const char* column : {"mode", "concurrency", "budget_usd"})
                QVERIFY2(query.exec(QStringLiteral("ALTER TABLE batch_jobs DROP COLUMN %1").arg(column)),
                         column);
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version=3")));
        }
        const std::unique_ptr<Database> database = Database::open(path, &error);
        QVERIFY2(database, qPrintable(error));
        QCOMPARE(database->schemaVersion(), Database::latestSchemaVersion());
        BatchStore store(*database);
        QCOMPARE(store.job(provider)->settings.providerMode, true);
        QCOMPARE(store.job(local)->settings.providerMode, false);
        QCOMPARE(store.job(local)->settings.concurrency, 0); // not recorded: the window's choice applies
    }
};

QTEST_GUILESS_MAIN(TestBatchStore)
#include "TestBatchStore.moc"
