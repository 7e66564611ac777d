// parallax-cli as a user runs it: the real program, real loopback HTTP to parallax-mock, and the
// JSON contract of PRODUCT.md checked field by field.

#include "mock/MockServer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr int kWaitMs = 60'000;
const QString kSecretKey = QStringLiteral("sk-test-secret-key-0123456789abcdef");

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private:
    QString url(const char* path = "/v1") const {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->port()).arg(QLatin1String(path));
    }

    CliResult runCli(const QStringList& arguments, const QByteArray& stdinData = {},
                     const QMap<QString, QString>& extraEnvironment = {}, bool withKeys = true) {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char* name :
             {"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "PARALLAX_API_KEY"}) {
            if (withKeys)
                environment.insert(QString::fromLatin1(name), kSecretKey);
            else
                environment.remove(QString::fromLatin1(name));
        }
        environment.insert(QStringLiteral("PARALLAX_DATA_DIR"), m_dataDir->path());
        for (auto it = extraEnvironment.begin(); it != extraEnvironment.end(); ++it)
            environment.insert(it.key(), it.value());
        process.setProcessEnvironment(environment);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(QStringLiteral(PARALLAX_CLI_PATH), arguments);
        if (!process.waitForStarted())
            return {};
        process.write(stdinData);
        process.closeWriteChannel();
        // The mock lives in this process, so the event loop must turn while the CLI runs.
        if (!finished.wait(kWaitMs)) {
            process.kill();
            return {};
        }
        CliResult result{process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
        // A key must never reach any output, whatever happened.
        if (result.out.contains(kSecretKey.toUtf8()) || result.err.contains(kSecretKey.toUtf8()))
            result.exitCode = -100;
        return result;
    }

    std::unique_ptr<parallax::mock::MockServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dataDir;

private slots:
    void init() {
        m_server = std::make_unique<parallax::mock::MockServer>();
        QVERIFY(m_server->listen());
        m_dataDir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dataDir->isValid());
    }
    void cleanup() {
        m_server.reset();
        m_dataDir.reset();
    }

    void runPrintsTheContractJson() {
        const CliResult result = runCli({"run", "--json", "-p", "openai:gpt-mock@" + url(), "Hello there"});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject answer = result.json();
        const QStringList expectedKeys{"attempts",          "cached", "cost_usd",   "error", "fallback_from",
                                       "finish_reason",     "kind",   "latency_ms", "model", "profile",
                                       "raw_finish_reason", "text",   "ttft_ms",    "usage"};
        QCOMPARE(answer.keys(), expectedKeys);
        QCOMPARE(answer.value("usage").toObject().keys(),
                 QStringList({"cached_input_tokens", "input_tokens", "output_tokens", "reasoning_tokens"}));
        QCOMPARE(answer.value("kind").toString(), QStringLiteral("openai"));
        QCOMPARE(answer.value("model").toString(), QStringLiteral("gpt-mock"));
        QCOMPARE(answer.value("finish_reason").toString(), QStringLiteral("stop"));
        QCOMPARE(answer.value("raw_finish_reason").toString(), QStringLiteral("stop"));
        QVERIFY(!answer.value("text").toString().isEmpty());
        QCOMPARE(answer.value("usage").toObject().value("output_tokens").toInt(),
                 m_server->config().answerTokens);
        QVERIFY(answer.value("ttft_ms").isDouble());
        QVERIFY(answer.value("latency_ms").isDouble());
        QVERIFY(answer.value("cost_usd").isNull()); // no price known yet: unknown, never 0
        QCOMPARE(answer.value("cached").toBool(), false);
        QCOMPARE(answer.value("attempts").toInt(), 1);
        QVERIFY(answer.value("fallback_from").isNull());
        QVERIFY(answer.value("error").isNull());
    }

    void compareRunsEveryProfile() {
        const CliResult result = runCli(
            {"compare", "--json", "-p", "openai:gpt-mock@" + url(), "-p", "anthropic:claude-mock@" + url(""),
             "-p", "gemini:gemini-mock@" + url(""), "-p", "ollama:llama-mock@" + url(""), "Which is best?"});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject root = result.json();
        QVERIFY(root.contains("synthesis"));
        QVERIFY(root.value("synthesis").isNull());
        QVERIFY(root.value("agreement").toObject().contains("matrix"));
        const QJsonArray answers = root.value("answers").toArray();
        QCOMPARE(answers.size(), 4);
        const QStringList kinds{"openai", "anthropic", "gemini", "ollama"};
        for (int i = 0; i < 4; ++i) {
            const QJsonObject answer = answers.at(i).toObject();
            QCOMPARE(answer.value("kind").toString(), kinds.at(i));
            QVERIFY(answer.value("error").isNull());
            QVERIFY(!answer.value("text").toString().isEmpty());
        }
        QCOMPARE(m_server->requestCount(), 4);
    }

    void comparePlainOutputPrefixesEachLine() {
        const CliResult result = runCli(
            {"compare", "-p", "openai:gpt-mock@" + url(), "-p", "anthropic:claude-mock@" + url(""), "hello"});
        QCOMPARE(result.exitCode, 0);
        const QList<QByteArray> lines = result.out.trimmed().split('\n');
        QVERIFY(!lines.isEmpty());
        for (const QByteArray& line : lines)
            QVERIFY2(line.startsWith("[openai:gpt-mock@") || line.startsWith("[anthropic:claude-mock@"),
                     line.constData());
        QVERIFY(result.err.contains("tokens"));
    }

    void runPlainStreamsTheAnswer() {
        const CliResult json = runCli({"run", "--json", "-p", "openai:gpt-mock@" + url(), "Same prompt"});
        const CliResult plain = runCli({"run", "-p", "openai:gpt-mock@" + url(), "Same prompt"});
        QCOMPARE(plain.exitCode, 0);
        QCOMPARE(QString::fromUtf8(plain.out).trimmed(), json.json().value("text").toString().trimmed());
    }

    void readsThePromptFromStandardInput() {
        const CliResult result =
            runCli({"run", "--json", "-p", "ollama:llama-mock@" + url(""), "-"}, "Piped prompt\n");
        QCOMPARE(result.exitCode, 0);
        QVERIFY(m_server->receivedRequests().last().body.contains("Piped prompt"));
    }

    void failedRequestExitsOneAndStillPrintsJson() {
        const CliResult result =
            runCli({"run", "--json", "-p", "openai:gpt-mock@" + url(), "x [[mock:fault=500]]"});
        QCOMPARE(result.exitCode, 1);
        const QJsonObject error = result.json().value("error").toObject();
        QCOMPARE(error.value("type").toString(), QStringLiteral("server"));
        QCOMPARE(error.value("http_status").toInt(), 500);
        QVERIFY(!error.value("message").toString().isEmpty());
    }

    void compareWithOneFailureExitsOne() {
        const CliResult result = runCli({"compare", "--json", "-p", "openai:gpt-mock@" + url(), "-p",
                                         "anthropic:claude-mock@" + url(""), "x [[mock:fault=529]]"});
        QCOMPARE(result.exitCode, 1);
        const QJsonArray answers = result.json().value("answers").toArray();
        QCOMPARE(answers.size(), 2);
        QCOMPARE(answers.at(1).toObject().value("error").toObject().value("type").toString(),
                 QStringLiteral("overloaded"));
    }

    void missingKeyNamesTheVariableAndSendsNothing() {
        const CliResult result =
            runCli({"run", "-p", "anthropic:claude-mock@" + url(""), "hi"}, {}, {}, false);
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("ANTHROPIC_API_KEY"));
        QVERIFY(result.out.isEmpty());
        QCOMPARE(m_server->requestCount(), 0);
    }

    void rejectedKeyNeverAppearsInOutput() {
        parallax::mock::MockConfig config = m_server->config();
        config.requiredApiKey = QStringLiteral("a-different-key");
        m_server->setConfig(config);
        for (const QString& spec :
             {"openai:gpt-mock@" + url(), "anthropic:c@" + url(""), "gemini:g@" + url("")}) {
            const CliResult json = runCli({"run", "--json", "-p", spec, "hello"});
            QCOMPARE(json.exitCode, 1); // -100 would mean the key was printed
            QCOMPARE(json.json().value("error").toObject().value("type").toString(), QStringLiteral("auth"));
            const CliResult plain = runCli({"run", "-p", spec, "hello"});
            QCOMPARE(plain.exitCode, 1);
            QVERIFY(plain.err.contains("auth"));
        }
    }

    void unreachableHostIsAClearError() {
        const CliResult result = runCli({"run", "-p", "openai:gpt-mock@http://127.0.0.1:1/v1", "hi"});
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.err.contains("connection refused by 127.0.0.1:1"));
        QVERIFY(!result.err.contains("Traceback"));
    }

    void usageErrorsExitTwo_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList{} << "Usage";
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << "unknown command";
        QTest::newRow("no profile") << QStringList{"run", "hi"} << "-p";
        QTest::newRow("unknown kind") << QStringList{"run", "-p", "nosuch:model", "hi"} << "nosuch";
        QTest::newRow("bad url") << QStringList{"run", "-p", "openai:m@ftp://x", "hi"} << "base URL";
        QTest::newRow("bad max tokens")
            << QStringList{"run", "-p", "ollama:m", "--max-tokens", "0", "hi"} << "--max-tokens";
        QTest::newRow("bad temperature")
            << QStringList{"run", "-p", "ollama:m", "--temperature", "9", "hi"} << "--temperature";
        QTest::newRow("bad timeout") << QStringList{"run", "-p", "ollama:m", "--timeout", "-1", "hi"}
                                     << "--timeout";
        QTest::newRow("unknown option") << QStringList{"run", "-p", "ollama:m", "--frob", "hi"} << "frob";
        QTest::newRow("empty prompt") << QStringList{"run", "-p", "ollama:m", "   "} << "empty";
        QTest::newRow("two profiles on run")
            << QStringList{"run", "-p", "ollama:a", "-p", "ollama:b", "hi"} << "compare";
        QTest::newRow("unknown saved profile")
            << QStringList{"run", "-p", "nameless", "hi"} << "saved profile";
        QTest::newRow("batch without files")
            << QStringList{"batch", "-p", "ollama:m"} << "--input FILE and --output FILE";
        QTest::newRow("bad budget") << QStringList{"budget", "set", "--daily", "-3"} << "--daily";
        QTest::newRow("budget without action") << QStringList{"budget"} << "budget show";
        QTest::newRow("audit without verify") << QStringList{"audit"} << "audit verify";
    }
    void usageErrorsExitTwo() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CliResult result = runCli(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(message.toUtf8()), result.err.constData());
        QCOMPARE(result.err.count('\n') <= 20, true); // a clear message, not a dump
        QCOMPARE(m_server->requestCount(), 0);
    }

    void everyOptionIsAccepted() {
        const CliResult result = runCli(
            {"compare", "--json", "--no-cache", "--no-sanitize", "--timeout", "30", "--max-tokens", "50",
             "--temperature", "0.2", "--system", "Be brief.", "--fallback", "ollama:backup@" + url(""),
             "--synthesize", "ollama:synth@" + url(""), "-p", "ollama:llama-mock@" + url(""), "hi"});
        QCOMPARE(result.exitCode, 0);
        const QByteArray body = m_server->receivedRequests().first().body;
        QVERIFY(body.contains("\"num_predict\":50"));
        QVERIFY(body.contains("Be brief."));
        QVERIFY(body.contains("\"temperature\":0.2"));
    }

    void fallbackAnswersWhenTheProfileFails() {
        parallax::mock::MockServer backup;
        QVERIFY(backup.listen());
        parallax::mock::MockConfig config = m_server->config();
        config.fault = QStringLiteral("401"); // the primary rejects every request; the backup answers
        m_server->setConfig(config);
        const CliResult result = runCli({"run", "--json", "-p", "openai:gpt-mock@" + url(), "--fallback",
                                         "anthropic:claude-backup@" + backup.baseUrl(), "question"});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject answer = result.json();
        QCOMPARE(answer.value("fallback_from").toString(), "openai:gpt-mock@" + url());
        QCOMPARE(answer.value("kind").toString(), QStringLiteral("anthropic"));
        QCOMPARE(answer.value("attempts").toInt(), 2);
        QVERIFY(answer.value("error").isNull());
    }

    void aLocalModelThatFallsBackToAHostedOneSendsItSanitized() {
        // A local Ollama gets the prompt as typed, but the request goes down the whole chain: with a hosted
        // fallback in it, nothing unmasked may leave the machine, whichever profile answers.
        parallax::mock::MockServer local;
        parallax::mock::MockConfig refusing = local.config();
        refusing.fault = QStringLiteral("401");
        local.setConfig(refusing);
        QVERIFY(local.listen());
        const CliResult result = runCli({"run", "--json", "-p", "ollama:llama-local@" + local.baseUrl(),
                                         "--fallback", "openai:gpt-hosted@" + url(),
                                         "Write to jane.doe@example.com about the plan [[mock:echo=1]]"});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.json().value("kind").toString(), QStringLiteral("openai"));
        QCOMPARE(local.receivedRequests().size(), 1);
        QVERIFY(!local.receivedRequests().first().body.contains("jane.doe@example.com"));
        QCOMPARE(m_server->receivedRequests().size(), 1);
        const QByteArray hosted = m_server->receivedRequests().first().body;
        QVERIFY2(!hosted.contains("jane.doe@example.com"), hosted.constData());
        QVERIFY(hosted.contains("[EMAIL_ADDRESS_1]"));
        // The answer is read with the address put back.
        QVERIFY2(result.json().value("text").toString().contains("jane.doe@example.com"),
                 result.out.constData());
    }

    void synthesisAndAgreementInCompareJson() {
        const CliResult result =
            runCli({"compare", "--json", "-p", "openai:gpt-a@" + url(), "-p", "openai:gpt-b@" + url(),
                    "--synthesize", "anthropic:judge@" + url(""), "Explain caching."});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject root = result.json();
        const QJsonObject synthesis = root.value("synthesis").toObject();
        QVERIFY(!synthesis.value("text").toString().isEmpty());
        QCOMPARE(synthesis.value("kind").toString(), QStringLiteral("anthropic"));
        QCOMPARE(synthesis.value("labels").toObject().value("A").toString(), "openai:gpt-a@" + url());
        QCOMPARE(synthesis.value("labels").toObject().value("B").toString(), "openai:gpt-b@" + url());
        const QJsonObject agreement = root.value("agreement").toObject();
        QCOMPARE(agreement.value("matrix").toArray().size(), 2);
        QCOMPARE(agreement.value("matrix").toArray().at(0).toArray().at(0).toDouble(), 1.0);
        QCOMPARE(m_server->requestCount(), 3);
    }

    void secondIdenticalRunComesFromTheCache() {
        const QStringList arguments{"run", "--json", "-p", "openai:gpt-4o-mini@" + url(), "Cache me"};
        const CliResult first = runCli(arguments);
        const CliResult second = runCli(arguments);
        QCOMPARE(first.exitCode, 0);
        QCOMPARE(second.exitCode, 0);
        QCOMPARE(m_server->requestCount(), 1);
        QCOMPARE(second.json().value("cached").toBool(), true);
        QCOMPARE(second.json().value("cost_usd").toDouble(-1), 0.0);
        QVERIFY(first.json().value("cost_usd").toDouble() > 0); // gpt-4o-mini has a price
        QCOMPARE(second.json().value("text"), first.json().value("text"));
        const CliResult uncached = runCli(QStringList(arguments) << "--no-cache");
        QCOMPARE(uncached.json().value("cached").toBool(), false);
        QCOMPARE(m_server->requestCount(), 2);
    }

    void budgetRefusesWithExitThreeAndSendsNothing() {
        CliResult set = runCli({"budget", "set", "--daily", "0.0001"});
        QCOMPARE(set.exitCode, 0);
        QVERIFY(set.out.contains("$0.00"));
        const CliResult refused =
            runCli({"run", "--json", "-p", "openai:gpt-4o@" + url(), "--max-tokens", "1000", "hi"});
        QCOMPARE(refused.exitCode, 3);
        QCOMPARE(refused.json().value("error").toObject().value("type").toString(), QStringLiteral("budget"));
        QCOMPARE(m_server->requestCount(), 0);

        set = runCli({"budget", "set", "--daily", "0"}); // removes the limit
        QCOMPARE(set.exitCode, 0);
        QCOMPARE(runCli({"run", "-p", "openai:gpt-4o@" + url(), "hi"}).exitCode, 0);
        const CliResult shown = runCli({"budget", "show", "--json"});
        QCOMPARE(shown.exitCode, 0);
        QVERIFY(shown.json().value("daily_limit_usd").isNull());
        QVERIFY(shown.json().value("spent_today_usd").toDouble() > 0);
    }

    void personalDataIsMaskedBeforeSendingAndRestoredInTheAnswer() {
        const QString email = QStringLiteral("jane.doe@example.com");
        const CliResult result = runCli({"compare", "--json", "-p", "openai:gpt-mock@" + url(),
                                         "Please write to " + email + " today [[mock:echo=1]]"});
        QCOMPARE(result.exitCode, 0);
        const QByteArray sent = m_server->receivedRequests().last().body;
        QVERIFY2(!sent.contains(email.toUtf8()), sent.constData());
        QVERIFY(sent.contains("[EMAIL_ADDRESS_1]"));
        // The mock echoes what it received; the user reads the real address again.
        const QJsonObject root = result.json();
        QCOMPARE(root.value("answers").toArray().at(0).toObject().value("text").toString(),
                 "Please write to " + email + " today");
        QCOMPARE(root.value("redactions").toObject().value("EMAIL_ADDRESS").toInt(), 1);

        // Neither the history nor the audit log holds the address: only what was sent.
        QFile database(m_dataDir->filePath("parallax.db"));
        QVERIFY(database.open(QIODevice::ReadOnly));
        QVERIFY(!database.readAll().contains(email.toUtf8()));
        QFile wal(m_dataDir->filePath("parallax.db-wal"));
        if (wal.open(QIODevice::ReadOnly))
            QVERIFY(!wal.readAll().contains(email.toUtf8()));

        const CliResult raw = runCli({"run", "--json", "--no-sanitize", "-p", "openai:gpt-mock@" + url(),
                                      "Please write to " + email + " [[mock:echo=1]]"});
        QCOMPARE(raw.exitCode, 0);
        QVERIFY(m_server->receivedRequests().last().body.contains(email.toUtf8()));
    }

    void auditVerifyChecksTheChain() {
        QCOMPARE(runCli({"run", "-p", "openai:gpt-mock@" + url(), "one"}).exitCode, 0);
        QCOMPARE(runCli({"run", "-p", "openai:gpt-mock@" + url(), "two [[mock:fault=500]]"}).exitCode, 1);
        const CliResult verified = runCli({"audit", "verify"});
        QCOMPARE(verified.exitCode, 0);
        QVERIFY2(verified.out.contains("intact: 4 records"),
                 verified.out.constData()); // one, two and two retries
    }

    void savedProfileByName() {
        QFile file(m_dataDir->filePath("profiles.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(QJsonObject{{"profiles", QJsonArray{QJsonObject{{"name", "local"},
                                                                                 {"kind", "ollama"},
                                                                                 {"model", "llama-saved"},
                                                                                 {"base_url", url("")}}}}})
                       .toJson());
        file.close();
        const CliResult result = runCli({"run", "--json", "-p", "local", "hi"});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.json().value("profile").toString(), QStringLiteral("local"));
        QCOMPARE(result.json().value("model").toString(), QStringLiteral("llama-saved"));
    }

    // Recorded streams from the SDKs' own tests, served over HTTP in small random pieces.
    void replayedRecordingsComeOutExactly_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("finish");
        QTest::addColumn<int>("input");
        QTest::addColumn<int>("output");
        QTest::newRow("openai")
            << "openai/chat_stream_text_with_usage.sse"
            << "openai:gpt-4o@%1/v1"
            << "I'm unable to provide real-time weather updates. To get the current weather in San "
               "Francisco, I recommend checking a reliable weather website or a weather app."
            << "stop" << 14 << 30;
        QTest::newRow("anthropic") << "anthropic/basic_text.sse"
                                   << "anthropic:claude@%1"
                                   << "Hello there!"
                                   << "stop" << 11 << 6;
        QTest::newRow("gemini") << "gemini/basic_reply_short_crlf.sse"
                                << "gemini:gemini-2.0-flash@%1"
                                << "The capital of Wyoming is **Cheyenne**.\n"
                                << "stop" << 7 << 10;
        QTest::newRow("ollama") << "ollama/generate_stream_docs.ndjson"
                                << "ollama:llama3@%1"
                                << "That's a fantastic question!"
                                << "stop" << -1 << -1;
    }
    void replayedRecordingsComeOutExactly() {
        QFETCH(QString, fixture);
        QFETCH(QString, spec);
        QFETCH(QString, text);
        QFETCH(QString, finish);
        QFETCH(int, input);
        QFETCH(int, output);
        parallax::mock::MockConfig config;
        config.replayFile = QStringLiteral(PARALLAX_TEST_FIXTURES "/wire/") + fixture;
        m_server->setConfig(config);
        const CliResult result = runCli({"run", "--json", "-p", spec.arg(url("")), "replay"});
        QVERIFY2(result.exitCode == 0, result.out.constData());
        const QJsonObject answer = result.json();
        QCOMPARE(answer.value("text").toString(), text);
        QCOMPARE(answer.value("finish_reason").toString(), finish);
        const QJsonObject usage = answer.value("usage").toObject();
        QCOMPARE(usage.value("input_tokens").toInt(-1), input);
        QCOMPARE(usage.value("output_tokens").toInt(-1), output);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "TestCli.moc"
