// 200 concurrent requests over four parallax-mock endpoints, with client-side rate limits and about
// 10 % injected faults of several kinds: every request must end in exactly one result, and nothing
// may hang. Also built and run under AddressSanitizer (`make test` does both).

#include "engine/Engine.h"
#include "engine/RequestRunner.h"
#include "mock/MockServer.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace parallax;

class TestEngineStress : public QObject {
    Q_OBJECT

private slots:
    void everyRequestEndsExactlyOnce() {
        QTemporaryDir dir;
        QNetworkAccessManager network;
        QString error;
        auto engine = Engine::open(&network, dir.path(), &error);
        QVERIFY2(engine, qPrintable(error));

        const QStringList faults{"503", "429", "drop", "midstream"};
        std::vector<std::unique_ptr<mock::MockServer>> servers;
        QJsonObject limits;
        for (const QString& fault : faults) {
            mock::MockConfig config;
            config.ttftMs = 5;
            config.tokensPerSecond = 0; // as fast as possible
            config.answerTokens = 20;
            config.fault = fault;
            config.faultRate = 0.1;
            config.seed = static_cast<quint32>(servers.size() + 7);
            config.retryAfterSeconds = 1;
            auto server = std::make_unique<mock::MockServer>(config);
            QVERIFY(server->listen());
            // One endpoint is limited tightly enough that some requests must wait for capacity.
            limits.insert(QStringLiteral("127.0.0.1:%1").arg(server->port()),
                          QJsonObject{{"requests_per_minute", servers.empty() ? 45 : 600}});
            servers.push_back(std::move(server));
        }
        engine->rateLimiter().configure(limits);

        const QList<ProviderKind> kinds{ProviderKind::OpenAi, ProviderKind::Anthropic, ProviderKind::Gemini,
                                        ProviderKind::Ollama};
        QList<RequestRunner*> runners;
        QHash<RequestRunner*, int> finishedCount;
        int finishedTotal = 0;
        for (int i = 0; i < 200; ++i) {
            const int endpoint = i % 4;
            const ProviderKind kind = kinds.at(endpoint);
            const QString base = servers[endpoint]->baseUrl() + (kind == ProviderKind::OpenAi ? "/v1" : "");
            RequestPlan plan;
            plan.chain = {
                CompareTarget{{QStringLiteral("p%1").arg(i), kind, QStringLiteral("m"), QUrl(base)}, "k"}};
            plan.request.messages = {
                ChatMessage{ChatMessage::Role::User, QStringLiteral("Request number %1").arg(i)}};
            plan.useCache = false;
            auto* runner = new RequestRunner(*engine, plan, this);
            connect(runner, &RequestRunner::finished, this, [&, runner] {
                ++finishedCount[runner];
                ++finishedTotal;
            });
            runners.append(runner);
        }
        for (RequestRunner* runner : std::as_const(runners))
            runner->start();

        QTRY_COMPARE_WITH_TIMEOUT(finishedTotal, 200, 240'000);
        int succeeded = 0;
        for (RequestRunner* runner : std::as_const(runners)) {
            QCOMPARE(finishedCount.value(runner), 1);
            QVERIFY(runner->isFinished());
            const Answer& answer = runner->answer();
            if (answer.succeeded()) {
                ++succeeded;
                QVERIFY(!answer.text.isEmpty());
            } else {
                QVERIFY(!answer.error->message.isEmpty());
            }
        }
        // Retries recover most injected faults; a stream broken after text was shown stays failed.
        QVERIFY2(succeeded >= 150, qPrintable(QString::number(succeeded)));
        QVERIFY(engine->audit().verify().intact);
        qDeleteAll(runners);
    }
};

QTEST_GUILESS_MAIN(TestEngineStress)
#include "TestEngineStress.moc"
