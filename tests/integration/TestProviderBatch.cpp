// `parallax-cli batch --mode provider` against parallax-mock's OpenAI Batch API and Anthropic Message
// Batches: submission, polling, results merged into the items and written in input order, a partial
// failure, expiry, profiles without a Batch API run locally, and a CLI killed with SIGKILL while polling
// then resumed, which polls the same remote batch instead of submitting a second one.

#include "CliProcess.h"
#include "mock/MockServer.h"
#include "store/Database.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

namespace {
constexpr int kWaitMs = 120'000;
}

class TestProviderBatch : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<parallax::mock::MockServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;

    QProcessEnvironment environment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-batch-test"));
        env.insert(QStringLiteral("ANTHROPIC_API_KEY"), QStringLiteral("sk-ant-batch-test"));
        env.insert(QStringLiteral("PARALLAX_DATA_DIR"), m_dir->filePath(QStringLiteral("data")));
        return env;
    }

    QString spec(const QString& kind) const {
        if (kind == QLatin1String("openai"))
            return QStringLiteral("openai:gpt-4o-mini@%1/v1").arg(m_server->baseUrl());
        if (kind == QLatin1String("anthropic"))
            return QStringLiteral("anthropic:claude-haiku-4-5@%1").arg(m_server->baseUrl());
        return QStringLiteral("ollama:llama3.2@%1").arg(m_server->baseUrl());
    }

    QStringList arguments(const QStringList& kinds, const QString& input, const QString& output) const {
        QStringList args{"batch", "--mode",   "provider", "--poll-seconds", "0.05", "--input",
                         input,   "--output", output};
        for (const QString& kind : kinds)
            args << "-p" << spec(kind);
        return args;
    }

    QString writeInput(const QStringList& prompts) const {
        const QString path = m_dir->filePath(QStringLiteral("in.jsonl"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        for (qsizetype i = 0; i < prompts.size(); ++i)
            file.write(
                QJsonDocument(QJsonObject{{"id", QStringLiteral("row-%1").arg(i)}, {"prompt", prompts.at(i)}})
                    .toJson(QJsonDocument::Compact) +
                '\n');
        return path;
    }

    using Result = parallax::testing::CliResult;

    Result run(const QStringList& arguments) {
        return parallax::testing::runCli(environment(), arguments, kWaitMs);
    }

    QList<QJsonObject> readOutput(const QString& path) const {
        return parallax::testing::readJsonLines(path);
    }

    int countRequests(const QByteArray& method, const QByteArray& pathPrefix) const {
        int count = 0;
        for (const auto& request : m_server->receivedRequests()) {
            if (request.method == method && request.path.startsWith(pathPrefix))
                ++count;
        }
        return count;
    }

    int batchesCreated(const QString& kind) const {
        return kind == QLatin1String("openai") ? m_server->openAiBatchesCreated()
                                               : m_server->anthropicBatchesCreated();
    }

    static QByteArray pollPath(const QString& kind) {
        return kind == QLatin1String("openai") ? QByteArray("/v1/batches/")
                                               : QByteArray("/v1/messages/batches/");
    }

private slots:
    void init() {
        parallax::mock::MockConfig config;
        config.ttftMs = 0;
        config.tokensPerSecond = 0;
        config.answerTokens = 8;
        m_server = std::make_unique<parallax::mock::MockServer>(config);
        QVERIFY(m_server->listen());
        m_dir = std::make_unique<QTemporaryDir>();
    }
    void cleanup() {
        m_server.reset();
        m_dir.reset();
    }

    void endToEndWithAPartialFailure_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("openai") << QStringLiteral("openai");
        QTest::newRow("anthropic") << QStringLiteral("anthropic");
    }
    void endToEndWithAPartialFailure() {
        QFETCH(QString, kind);
        QStringList prompts;
        for (int i = 0; i < 20; ++i)
            prompts.append(QStringLiteral("Question number %1").arg(i));
        prompts[7] = QStringLiteral("This one fails [[mock:fault=500]]");
        const QString output = m_dir->filePath(QStringLiteral("out.jsonl"));
        const Result result = run(arguments({kind}, writeInput(prompts), output));
        QVERIFY2(result.exitCode == 1, result.err.constData()); // one item failed
        QVERIFY2(result.err.contains("wrote 20 results"), result.err.constData());
        QVERIFY2(result.err.contains("results merged (1 failed)"), result.err.constData());

        const QList<QJsonObject> lines = readOutput(output);
        QCOMPARE(lines.size(), 20);
        for (int i = 0; i < 20; ++i) {
            const QJsonObject& line = lines.at(i);
            QCOMPARE(line.value("id").toString(), QStringLiteral("row-%1").arg(i)); // input order
            QCOMPARE(line.value("kind").toString(), kind);
            if (i == 7) {
                QCOMPARE(line.value("error").toObject().value("type").toString(), QStringLiteral("server"));
                QVERIFY(line.value("error").toObject().value("message").toString().contains("fault 500"));
                continue;
            }
            QVERIFY2(line.value("error").isNull(), qPrintable(QJsonDocument(line).toJson()));
            QCOMPARE(line.value("text").toString().split(' ').size(), 8);
            QCOMPARE(line.value("usage").toObject().value("output_tokens").toInt(), 8);
            QVERIFY(line.value("cost_usd").toDouble() > 0); // at the batch price
        }

        // Everything went through the Batch API: one batch, no single generation request.
        QCOMPARE(batchesCreated(kind), 1);
        QCOMPARE(m_server->requestCount(), 0);
        // What went up: non-streaming bodies, custom_id = the item's id.
        QByteArray submitted;
        for (const auto& request : m_server->receivedRequests()) {
            if (request.method != "POST" ||
                (request.path != "/v1/files" && request.path != "/v1/messages/batches"))
                continue;
            submitted = request.body;
            // The providers' own keys and headers.
            if (kind == QLatin1String("openai")) {
                QCOMPARE(request.header("authorization"), QByteArray("Bearer sk-batch-test"));
                QVERIFY(request.header("content-type").startsWith("multipart/form-data; boundary="));
            } else {
                QCOMPARE(request.header("x-api-key"), QByteArray("sk-ant-batch-test"));
                QCOMPARE(request.header("anthropic-version"), QByteArray("2023-06-01"));
            }
        }
        QVERIFY(!submitted.isEmpty());
        QVERIFY(!submitted.contains("\"stream\""));
        QVERIFY(submitted.contains("Question number 19"));

        // The cost at batch prices is half the standard price for the mock's counts.
        const double cost = lines.at(0).value("cost_usd").toDouble();
        const QJsonObject usage = lines.at(0).value("usage").toObject();
        const double input = usage.value("input_tokens").toDouble();
        const double output8 = usage.value("output_tokens").toDouble();
        const double expected = kind == QLatin1String("openai") ? (input * 0.075 + output8 * 0.3) / 1e6
                                                                : (input * 0.5 + output8 * 2.5) / 1e6;
        QVERIFY2(qAbs(cost - expected) < 1e-12,
                 qPrintable(QStringLiteral("cost %1, expected %2 at batch prices").arg(cost).arg(expected)));
    }

    void bigJobsGoUpAsSeveralBatches_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QStringList>("limit");
        QTest::addColumn<int>("batches");
        // 25 items: 7 per batch by count; about 2,000 bytes per batch by size (each item, with its
        // 600-character prompt and the request around it, is some 700–900 bytes: two per batch).
        QTest::newRow("openai, by count")
            << QStringLiteral("openai") << QStringList{"--batch-max-requests", "7"} << 4;
        QTest::newRow("anthropic, by count")
            << QStringLiteral("anthropic") << QStringList{"--batch-max-requests", "7"} << 4;
        QTest::newRow("openai, by size")
            << QStringLiteral("openai") << QStringList{"--batch-max-mb", "0.002"} << 13;
        QTest::newRow("anthropic, by size")
            << QStringLiteral("anthropic") << QStringList{"--batch-max-mb", "0.002"} << 13;
    }
    void bigJobsGoUpAsSeveralBatches() {
        QFETCH(QString, kind);
        QFETCH(QStringList, limit);
        QFETCH(int, batches);
        QStringList prompts;
        for (int i = 0; i < 25; ++i)
            prompts.append(QStringLiteral("Question number %1: ").arg(i) + QString(580, QLatin1Char('x')));
        const QString output = m_dir->filePath(QStringLiteral("out.jsonl"));
        const Result result = run(arguments({kind}, writeInput(prompts), output) + limit);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(batchesCreated(kind), batches);
        // Every item went up exactly once, and the results come back in input order.
        QHash<QString, int> submitted;
        static const QRegularExpression question(QStringLiteral("Question number (\\d+):"));
        for (const auto& request : m_server->receivedRequests()) {
            if (request.method != "POST" ||
                (request.path != "/v1/files" && request.path != "/v1/messages/batches"))
                continue;
            for (auto it = question.globalMatch(QString::fromUtf8(request.body)); it.hasNext();)
                ++submitted[it.next().captured(1)];
        }
        QCOMPARE(submitted.size(), 25);
        for (auto it = submitted.cbegin(); it != submitted.cend(); ++it)
            QVERIFY2(it.value() == 1,
                     qPrintable(QStringLiteral("item %1 went up %2 times").arg(it.key()).arg(it.value())));
        const QList<QJsonObject> lines = readOutput(output);
        QCOMPARE(lines.size(), 25);
        for (int i = 0; i < 25; ++i) {
            QCOMPARE(lines.at(i).value("id").toString(), QStringLiteral("row-%1").arg(i));
            QVERIFY(lines.at(i).value("error").isNull());
        }
    }

    void batchLimitsAreCheckedAsTyped() {
        const QString input = writeInput({QStringLiteral("hello")});
        const QString output = m_dir->filePath(QStringLiteral("out.jsonl"));
        for (const QStringList& bad :
             {QStringList{"--batch-max-requests", "0"}, QStringList{"--batch-max-mb", "-1"},
              QStringList{"--batch-max-mb", "lots"}}) {
            const Result result = run(arguments({"openai"}, input, output) + bad);
            QCOMPARE(result.exitCode, 2);
            QVERIFY2(result.err.contains(bad.first().toUtf8()), result.err.constData());
        }
        QStringList local{
            "batch", "--input", input, "--output", output, "-p", spec("openai"), "--batch-max-requests", "5"};
        const Result result = run(local);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("--mode provider only"), result.err.constData());
        QCOMPARE(m_server->receivedRequests().size(), 0);
    }

    void expiredItemsFailWithAClearError_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("openai") << QStringLiteral("openai");
        QTest::newRow("anthropic") << QStringLiteral("anthropic");
    }
    void expiredItemsFailWithAClearError() {
        QFETCH(QString, kind);
        parallax::mock::MockConfig config = m_server->config();
        config.batchExpireAfter = 3;
        m_server->setConfig(config);
        const QString output = m_dir->filePath(QStringLiteral("out.jsonl"));
        const Result result = run(arguments({kind}, writeInput({"a", "b", "c", "d", "e"}), output));
        QCOMPARE(result.exitCode, 1);
        const QList<QJsonObject> lines = readOutput(output);
        QCOMPARE(lines.size(), 5);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(lines.at(i).value("id").toString(), QStringLiteral("row-%1").arg(i));
            const QJsonObject error = lines.at(i).value("error").toObject();
            if (i < 3) {
                QVERIFY(lines.at(i).value("error").isNull());
            } else {
                QCOMPARE(error.value("type").toString(), QStringLiteral("timeout"));
                QVERIFY2(error.value("message").toString().contains("expired"),
                         qPrintable(error.value("message").toString()));
            }
        }
    }

    void killedWhilePollingResumesWithoutSubmittingAgain_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("openai") << QStringLiteral("openai");
        QTest::newRow("anthropic") << QStringLiteral("anthropic");
    }
    void killedWhilePollingResumesWithoutSubmittingAgain() {
        QFETCH(QString, kind);
        parallax::mock::MockConfig config = m_server->config();
        config.batchHold = true; // the batch stays in progress until the test lets it go
        m_server->setConfig(config);
        QStringList prompts;
        for (int i = 0; i < 30; ++i)
            prompts.append(QStringLiteral("Prompt %1").arg(i));
        const QString input = writeInput(prompts);
        const QString output = m_dir->filePath(QStringLiteral("out.jsonl"));

        QProcess first;
        first.setProcessEnvironment(environment());
        QSignalSpy firstFinished(&first, &QProcess::finished);
        first.start(QStringLiteral(PARALLAX_CLI_PATH), arguments({kind}, input, output));
        QTRY_VERIFY_WITH_TIMEOUT(countRequests("GET", pollPath(kind)) >= 3, kWaitMs);
        first.kill(); // SIGKILL while polling
        QVERIFY(firstFinished.wait(kWaitMs));
        QCOMPARE(batchesCreated(kind), 1);

        // The database knows the remote batch and that the items are running in it.
        QString remoteId;
        {
            QString error;
            auto database = parallax::Database::open(m_dir->filePath("data/parallax.db"), &error);
            QVERIFY2(database, qPrintable(error));
            QSqlQuery query(database->connection());
            QVERIFY(query.exec("SELECT phase, remote_id FROM batch_remote"));
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toString(), QStringLiteral("polling"));
            remoteId = query.value(1).toString();
            QVERIFY(!remoteId.isEmpty());
            QVERIFY(!query.next()); // one remote batch
            QVERIFY(query.exec("SELECT COUNT(*) FROM batch_items WHERE state = 'running' AND remote_batch_id "
                               "IS NOT NULL"));
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toInt(), 30);
        }

        config.batchHold = false;
        m_server->setConfig(config);
        const int submissionsBefore =
            countRequests("POST", kind == QLatin1String("openai") ? QByteArray("/v1/files")
                                                                  : QByteArray("/v1/messages/batches"));
        const Result resumed = run(QStringList(arguments({kind}, input, output)) << "--resume");
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QVERIFY2(resumed.err.contains("resuming polling"), resumed.err.constData());
        QVERIFY2(resumed.err.contains(remoteId.toUtf8()), resumed.err.constData());
        QCOMPARE(batchesCreated(kind), 1); // no second submission
        QCOMPARE(countRequests("POST", kind == QLatin1String("openai") ? QByteArray("/v1/files")
                                                                       : QByteArray("/v1/messages/batches")),
                 submissionsBefore);

        const QList<QJsonObject> lines = readOutput(output);
        QCOMPARE(lines.size(), 30);
        for (int i = 0; i < 30; ++i) {
            QCOMPARE(lines.at(i).value("id").toString(), QStringLiteral("row-%1").arg(i));
            QVERIFY(lines.at(i).value("error").isNull());
            QVERIFY(!lines.at(i).value("text").toString().isEmpty());
        }
        // A finished batch is not polled or merged again by a later run.
        const Result again = run(arguments({kind}, input, output));
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(batchesCreated(kind), 2); // a finished batch may run anew, as in local mode
    }

    // Starts a provider batch of `count` prompts that the mock holds in progress, and kills the CLI once
    // it has polled, as after a crash or a closed terminal: the batch keeps running at the provider.
    QString startHeldBatchAndKill(const QString& kind, int count, const QString& output) {
        parallax::mock::MockConfig config = m_server->config();
        config.batchHold = true;
        m_server->setConfig(config);
        QStringList prompts;
        for (int i = 0; i < count; ++i)
            prompts.append(QStringLiteral("Prompt %1").arg(i));
        const QString input = writeInput(prompts);
        QProcess first;
        first.setProcessEnvironment(environment());
        QSignalSpy firstFinished(&first, &QProcess::finished);
        first.start(QStringLiteral(PARALLAX_CLI_PATH), arguments({kind}, input, output));
        // The second poll finds the batch in progress: the mock has answered part of it by then.
        if (!QTest::qWaitFor([&] { return countRequests("GET", pollPath(kind)) >= 2; }, kWaitMs))
            return {};
        first.kill();
        firstFinished.wait(kWaitMs);
        return input;
    }

    // The mock answers the first half (input order) of an in-progress batch before a cancel; the rest
    // ends cancelled, each with a typed error.
    void verifyHalfDoneHalfCancelled(const QString& output, int count) {
        const QList<QJsonObject> lines = readOutput(output);
        QCOMPARE(lines.size(), count);
        for (int i = 0; i < count; ++i) {
            const QJsonObject& line = lines.at(i);
            QCOMPARE(line.value("id").toString(), QStringLiteral("row-%1").arg(i));
            if (i < count / 2) {
                QCOMPARE(line.value("state").toString(), QStringLiteral("done"));
                QVERIFY(line.value("error").isNull());
                QVERIFY(!line.value("text").toString().isEmpty());
            } else {
                QCOMPARE(line.value("state").toString(), QStringLiteral("cancelled"));
                QCOMPARE(line.value("error").toObject().value("type").toString(),
                         QStringLiteral("cancelled"));
            }
        }
    }

    int cancelRequests(const QString& kind) const {
        int count = 0;
        for (const auto& request : m_server->receivedRequests()) {
            if (request.method == "POST" && request.path.startsWith(pollPath(kind)) &&
                request.path.endsWith("/cancel"))
                ++count;
        }
        return count;
    }

    void cancelCancelsAtTheProviderAndCollectsWhatWasDone_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("openai") << QStringLiteral("openai");
        QTest::newRow("anthropic") << QStringLiteral("anthropic");
    }
    void cancelCancelsAtTheProviderAndCollectsWhatWasDone() {
        QFETCH(QString, kind);
        const QString output = m_dir->filePath(QStringLiteral("out.jsonl"));
        const QString input = startHeldBatchAndKill(kind, 10, output);
        QVERIFY(!input.isEmpty());
        QCOMPARE(cancelRequests(kind), 0);

        const Result cancelled = run(QStringList(arguments({kind}, input, output)) << "--cancel");
        QVERIFY2(cancelled.exitCode == 0, cancelled.err.constData());
        QVERIFY2(cancelled.err.contains("cancelling at the provider"), cancelled.err.constData());
        QCOMPARE(cancelRequests(kind), 1);
        QCOMPARE(batchesCreated(kind), 1); // nothing submitted again
        verifyHalfDoneHalfCancelled(output, 10);

        // The job is over: --resume has nothing left to send or poll, and sends nothing.
        const int before = static_cast<int>(m_server->receivedRequests().size());
        const Result resumed = run(QStringList(arguments({kind}, input, output)) << "--resume");
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QCOMPARE(m_server->receivedRequests().size(), before);
        verifyHalfDoneHalfCancelled(output, 10);
    }

    void resumeCollectsABatchCancelledAtTheProvider_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("openai") << QStringLiteral("openai");
        QTest::newRow("anthropic") << QStringLiteral("anthropic");
    }
    void resumeCollectsABatchCancelledAtTheProvider() {
        QFETCH(QString, kind);
        const QString output = m_dir->filePath(QStringLiteral("out.jsonl"));
        const QString input = startHeldBatchAndKill(kind, 8, output);
        QVERIFY(!input.isEmpty());
        // Cancelled elsewhere (the provider's console, another machine) while no Parallax was running.
        QString remoteId;
        {
            QString error;
            auto database = parallax::Database::open(m_dir->filePath("data/parallax.db"), &error);
            QVERIFY2(database, qPrintable(error));
            QSqlQuery query(database->connection());
            QVERIFY(query.exec("SELECT remote_id FROM batch_remote"));
            QVERIFY(query.next());
            remoteId = query.value(0).toString();
        }
        QNetworkAccessManager network;
        QNetworkRequest cancel(QUrl(m_server->baseUrl() + pollPath(kind) + remoteId + "/cancel"));
        cancel.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        cancel.setRawHeader("anthropic-version", "2023-06-01");
        cancel.setRawHeader("x-api-key", "sk-ant-batch-test");
        QNetworkReply* reply = network.post(cancel, QByteArray("{}"));
        QSignalSpy replied(reply, &QNetworkReply::finished);
        QVERIFY(replied.wait(kWaitMs));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();

        const Result resumed = run(QStringList(arguments({kind}, input, output)) << "--resume");
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QCOMPARE(cancelRequests(kind), 1); // ours: the resume only collects
        verifyHalfDoneHalfCancelled(output, 8);
    }

    void cancelWithoutABatchIsAUsageError() {
        const Result result = run(QStringList(arguments({"openai"}, writeInput({"one"}),
                                                        m_dir->filePath(QStringLiteral("out.jsonl"))))
                                  << "--cancel");
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("nothing to cancel"), result.err.constData());
        QCOMPARE(m_server->receivedRequests().size(), 0);
    }

    void profilesWithoutABatchApiRunLocally() {
        const QString output = m_dir->filePath(QStringLiteral("out.jsonl"));
        const Result result =
            run(arguments({"openai", "ollama"}, writeInput({"one", "two", "three"}), output));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY2(result.err.contains("has no provider Batch API here; its items run locally"),
                 result.err.constData());
        QCOMPARE(m_server->openAiBatchesCreated(), 1);
        QCOMPARE(m_server->requestCount(), 3); // the three Ollama items, streamed one by one
        const QList<QJsonObject> lines = readOutput(output);
        QCOMPARE(lines.size(), 6);
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(lines.at(i).value("id").toString(), QStringLiteral("row-%1").arg(i / 2));
            QCOMPARE(lines.at(i).value("kind").toString(),
                     i % 2 == 0 ? QStringLiteral("openai") : QStringLiteral("ollama"));
            QVERIFY(lines.at(i).value("error").isNull());
        }
    }

    void refusedSubmissionFailsItsItems() {
        parallax::mock::MockConfig config = m_server->config();
        config.requiredApiKey = QStringLiteral("a-different-key");
        m_server->setConfig(config);
        const QString output = m_dir->filePath(QStringLiteral("out.jsonl"));
        const Result result = run(arguments({"anthropic"}, writeInput({"x", "y"}), output));
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("the provider refused the batch"), result.err.constData());
        const QList<QJsonObject> lines = readOutput(output);
        QCOMPARE(lines.size(), 2);
        for (const QJsonObject& line : lines)
            QCOMPARE(line.value("error").toObject().value("type").toString(), QStringLiteral("auth"));
        QCOMPARE(m_server->anthropicBatchesCreated(), 0);
    }
};

QTEST_GUILESS_MAIN(TestProviderBatch)
#include "TestProviderBatch.moc"
