// `parallax-cli batch` as a user runs it, against parallax-mock over loopback: imports, the output
// contract, and a batch killed with SIGKILL midway then resumed — exactly one result per item, and no
// item that had finished is sent again.

#include "CliProcess.h"
#include "mock/MockServer.h"
#include "store/Database.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

namespace {
constexpr int kWaitMs = 120'000;
}

class TestBatchCli : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<parallax::mock::MockServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;

    QProcessEnvironment environment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-batch-test"));
        env.insert(QStringLiteral("PARALLAX_DATA_DIR"), m_dir->filePath(QStringLiteral("data")));
        return env;
    }

    QStringList batchArguments(const QString& input, const QString& output) const {
        return {"batch",
                "-p",
                QStringLiteral("openai:gpt-4o-mini@%1/v1").arg(m_server->baseUrl()),
                "--input",
                input,
                "--output",
                output,
                "--concurrency",
                "4"};
    }

    using Result = parallax::testing::CliResult;

    Result runBatch(const QStringList& arguments) {
        return parallax::testing::runCli(environment(), arguments, kWaitMs);
    }

    QList<QJsonObject> readOutput(const QString& path) const {
        return parallax::testing::readJsonLines(path);
    }

private slots:
    void init() {
        m_server = std::make_unique<parallax::mock::MockServer>();
        QVERIFY(m_server->listen());
        m_dir = std::make_unique<QTemporaryDir>();
    }
    void cleanup() {
        m_server.reset();
        m_dir.reset();
    }

    void importsCsvWithTemplatesAndReportsBadRows() {
        const QString input = m_dir->filePath("in.csv");
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // A BOM, a quoted field with a line break and a doubled quote, a missing variable, a stray quote.
        file.write("\xEF\xBB\xBFid,prompt,topic\r\n"
                   "a,\"Tell me about {{topic}}\",cats\r\n"
                   "b,\"Two lines\nabout \"\"{{topic}}\"\"\",dogs\r\n"
                   "c,Uses {{missing}},x\r\n"
                   "d,bad\"quote,y\r\n"
                   "e,Last one about {{topic}},owls\r\n");
        file.close();
        const QString output = m_dir->filePath("out.jsonl");
        const Result result = runBatch(batchArguments(input, output));
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.err.contains("in.csv:5: the prompt uses {{missing}}"), result.err.constData());
        QVERIFY2(result.err.contains("in.csv:6: a double quote inside an unquoted field"),
                 result.err.constData());
        const QList<QJsonObject> lines = readOutput(output);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines.at(0).value("id").toString(), QStringLiteral("a"));
        QCOMPARE(lines.at(1).value("id").toString(), QStringLiteral("b"));
        QCOMPARE(lines.at(2).value("id").toString(), QStringLiteral("e"));
        for (const QJsonObject& line : lines) {
            QVERIFY(line.value("error").isNull());
            QVERIFY(!line.value("text").toString().isEmpty());
            QCOMPARE(line.value("kind").toString(), QStringLiteral("openai"));
        }
        QStringList prompts;
        for (const auto& request : m_server->receivedRequests())
            prompts.append(QString::fromUtf8(request.body));
        QVERIFY(prompts.join(' ').contains(QStringLiteral("Two lines\\nabout \\\"dogs\\\"")));
    }

    void killedMidwayAndResumedSendsNothingTwice() {
        parallax::mock::MockConfig config;
        config.ttftMs = 20;
        config.tokensPerSecond = 200;
        config.answerTokens = 10; // about 70 ms per item: 200 items take a few seconds at concurrency 4
        m_server->setConfig(config);
        const QString input = m_dir->filePath("in.jsonl");
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 200; ++i)
            file.write(QStringLiteral("{\"id\": \"item-%1\", \"prompt\": \"Question number %1\"}\n")
                           .arg(i)
                           .toUtf8());
        file.close();
        const QString output = m_dir->filePath("out.jsonl");

        QProcess first;
        first.setProcessEnvironment(environment());
        QSignalSpy firstFinished(&first, &QProcess::finished);
        first.start(QStringLiteral(PARALLAX_CLI_PATH), batchArguments(input, output));
        QTRY_VERIFY_WITH_TIMEOUT(m_server->requestCount() >= 60, kWaitMs);
        first.kill(); // SIGKILL: no chance to clean up
        QVERIFY(firstFinished.wait(kWaitMs));

        // What the database says had finished before the kill.
        QSet<QString> finishedBeforeKill;
        {
            QString error;
            auto database = parallax::Database::open(m_dir->filePath("data/parallax.db"), &error);
            QVERIFY2(database, qPrintable(error));
            QSqlQuery query(database->connection());
            QVERIFY(query.exec("SELECT prompt FROM batch_items WHERE state = 'done'"));
            while (query.next())
                finishedBeforeKill.insert(query.value(0).toString());
        }
        QVERIFY(!finishedBeforeKill.isEmpty());
        QVERIFY(finishedBeforeKill.size() < 200);

        const Result resumed = runBatch(QStringList(batchArguments(input, output)) << "--resume");
        QCOMPARE(resumed.exitCode, 0);

        const QList<QJsonObject> lines = readOutput(output);
        QCOMPARE(lines.size(), 200); // exactly one result per item, in input order
        int checkedFinished = 0;
        for (int i = 0; i < 200; ++i) {
            QCOMPARE(lines.at(i).value("id").toString(), QStringLiteral("item-%1").arg(i));
            QVERIFY(lines.at(i).value("error").isNull());
            // A finished item run again would be answered from the response cache, unseen by the server:
            // its result must still be the one from before the kill.
            if (finishedBeforeKill.contains(QStringLiteral("Question number %1").arg(i))) {
                ++checkedFinished;
                QVERIFY2(!lines.at(i).value("cached").toBool(),
                         qPrintable(QStringLiteral("item-%1 ran again").arg(i)));
            }
        }
        QCOMPARE(checkedFinished, finishedBeforeKill.size());
        QHash<QString, int> sent;
        for (const auto& request : m_server->receivedRequests()) {
            const QJsonObject body = QJsonDocument::fromJson(request.body).object();
            const QJsonArray messages = body.value("messages").toArray();
            sent[messages.last().toObject().value("content").toString()] += 1;
        }
        QCOMPARE(sent.size(), 200);
        for (const QString& prompt : std::as_const(finishedBeforeKill))
            QVERIFY2(sent.value(prompt) == 1, qPrintable(prompt + " was sent again after it had finished"));
        // Only the few in flight at the kill went out twice.
        QVERIFY(m_server->requestCount() <= 200 + 4);
    }

    void unfinishedBatchNeedsResume() {
        const QString input = m_dir->filePath("in.jsonl");
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"id\": 1, \"prompt\": \"hello\"}\nnot json\n{\"prompt\": \"second\", \"vars\": {}}\n");
        file.close();
        const QString output = m_dir->filePath("out.jsonl");
        const Result resumeFirst = runBatch(QStringList(batchArguments(input, output)) << "--resume");
        QCOMPARE(resumeFirst.exitCode, 2);
        QVERIFY(resumeFirst.err.contains("nothing to resume"));
        const Result ok = runBatch(batchArguments(input, output));
        QCOMPARE(ok.exitCode, 0);
        QVERIFY2(ok.err.contains("in.jsonl:2: not valid JSON"), ok.err.constData());
        QCOMPARE(readOutput(output).size(), 2);
        QCOMPARE(runBatch(batchArguments(input, output)).exitCode, 0); // a finished batch may run anew
    }

    void batchBudgetRefusesBeforeSending() {
        const QString input = m_dir->filePath("in.jsonl");
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 20; ++i)
            file.write(QStringLiteral("{\"prompt\": \"q%1\"}\n").arg(i).toUtf8());
        file.close();
        const Result refused =
            runBatch(QStringList(batchArguments(input, m_dir->filePath("out.jsonl"))) << "--budget"
                                                                                      << "0.0001");
        QCOMPARE(refused.exitCode, 3);
        QVERIFY(refused.err.contains("budget"));
        QCOMPARE(m_server->requestCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBatchCli)
#include "TestBatchCli.moc"
