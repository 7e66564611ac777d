// The engine's request path against parallax-mock over loopback: retries, fallback, budget, cache,
// circuit breaker, rate-limit waiting, and the audit log and database that record it all.

#include "engine/Engine.h"
#include "engine/RequestRunner.h"
#include "mock/MockServer.h"
#include "store/AuditLog.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace parallax;

namespace {
constexpr int kWaitMs = 60'000;
const QString kKey = QStringLiteral("sk-runner-test-key-9f8e7d6c5b4a");
} // namespace

class TestRequestRunner : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<mock::MockServer> m_primary;
    std::unique_ptr<mock::MockServer> m_backup;

    CompareTarget target(mock::MockServer& server,
                         const QString& model = QStringLiteral("gpt-4o-mini")) const {
        return CompareTarget{{QStringLiteral("openai:%1@%2").arg(model, server.baseUrl()),
                              ProviderKind::OpenAi, model, QUrl(server.baseUrl() + QStringLiteral("/v1"))},
                             kKey};
    }

    RequestPlan plan(QList<CompareTarget> chain,
                     const QString& prompt = QStringLiteral("Hello engine")) const {
        RequestPlan result;
        result.chain = std::move(chain);
        result.request.messages = {ChatMessage{ChatMessage::Role::User, prompt}};
        result.request.maxTokens = 100;
        return result;
    }

    Answer run(const RequestPlan& requestPlan, QList<RequestState>* states = nullptr) {
        RequestRunner runner(*m_engine, requestPlan);
        if (states) {
            connect(&runner, &RequestRunner::stateChanged, this,
                    [states](RequestState state) { states->append(state); });
        }
        QSignalSpy finished(&runner, &RequestRunner::finished);
        runner.start();
        if (!runner.isFinished())
            [&] { QVERIFY(finished.wait(kWaitMs)); }();
        return runner.answer();
    }

    void setFault(mock::MockServer& server, const QString& fault, int retryAfterSeconds = 1) {
        mock::MockConfig config = server.config();
        config.fault = fault;
        config.faultRate = 0; // every request
        config.retryAfterSeconds = retryAfterSeconds;
        server.setConfig(config);
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        m_network = std::make_unique<QNetworkAccessManager>();
        QString error;
        m_engine = Engine::open(m_network.get(), m_dir->path(), &error);
        QVERIFY2(m_engine, qPrintable(error));
        m_engine->random = [] { return 0.0; }; // no jitter: waits are exact
        m_primary = std::make_unique<mock::MockServer>();
        m_backup = std::make_unique<mock::MockServer>();
        QVERIFY(m_primary->listen());
        QVERIFY(m_backup->listen());
    }
    void cleanup() {
        m_engine.reset();
        m_primary.reset();
        m_backup.reset();
        m_network.reset();
        m_dir.reset();
    }

    void retryAfterIsHonouredThenSucceeds() {
        setFault(*m_primary, QStringLiteral("429"), 1);
        RequestRunner runner(*m_engine, plan({target(*m_primary)}));
        QList<RequestState> states;
        QElapsedTimer clock;
        qint64 retryingAt = -1;
        qint64 resentAt = -1;
        connect(&runner, &RequestRunner::stateChanged, this, [&](RequestState state) {
            states.append(state);
            if (state == RequestState::Retrying) {
                retryingAt = clock.elapsed();
                setFault(*m_primary, QString()); // from now on the server answers
            } else if (state == RequestState::Sending && retryingAt >= 0) {
                resentAt = clock.elapsed();
            }
        });
        QSignalSpy finished(&runner, &RequestRunner::finished);
        clock.start();
        runner.start();
        QVERIFY(finished.wait(kWaitMs));
        const Answer& answer = runner.answer();
        QVERIFY2(answer.succeeded(), qPrintable(answer.error ? answer.error->message : QString()));
        QCOMPARE(answer.attempts, 2);
        QCOMPARE(m_primary->requestCount(), 2);
        QVERIFY(states.contains(RequestState::Retrying));
        QCOMPARE(states.last(), RequestState::Done);
        // The provider asked for one second; a shorter wait would disregard it (a longer one is only slow).
        QVERIFY(resentAt - retryingAt >= 1000);
        QVERIFY(!answer.fallbackFrom.has_value());
    }

    void longRetryAfterFallsBackAtOnce() {
        setFault(*m_primary, QStringLiteral("429"), 300); // five minutes: not worth waiting for
        const Answer answer =
            run(plan({target(*m_primary), target(*m_backup, QStringLiteral("gpt-4.1-mini"))}));
        QVERIFY(answer.succeeded());
        QCOMPARE(m_primary->requestCount(), 1);
        QCOMPARE(m_backup->requestCount(), 1);
        QCOMPARE(answer.fallbackFrom, std::optional<QString>(target(*m_primary).profile.name));
        QCOMPARE(answer.model, QStringLiteral("gpt-4.1-mini"));
        QCOMPARE(answer.attempts, 2);
    }

    void failingPrimaryFallsBackAfterItsRetries() {
        setFault(*m_primary, QStringLiteral("503"));
        QList<RequestState> states;
        const Answer answer = run(plan({target(*m_primary), target(*m_backup)}), &states);
        QVERIFY(answer.succeeded());
        QCOMPARE(m_primary->requestCount(), 3); // the first try and two retries
        QCOMPARE(answer.attempts, 4);
        QVERIFY(answer.fallbackFrom.has_value());
        QCOMPARE(states.last(), RequestState::FellBack);
    }

    void everyHopFailingReportsTheLastError() {
        setFault(*m_primary, QStringLiteral("401"));
        setFault(*m_backup, QStringLiteral("400"));
        const Answer answer = run(plan({target(*m_primary), target(*m_backup)}));
        QVERIFY(answer.error.has_value());
        QCOMPARE(answer.error->type, ErrorType::InvalidRequest); // the backup's
        QCOMPARE(m_primary->requestCount(), 1);                  // 401 is not retried
        QCOMPARE(m_backup->requestCount(), 1);
    }

    void noRetryOnceTextWasShown() {
        const Answer answer =
            run(plan({target(*m_primary), target(*m_backup)}, QStringLiteral("[[mock:fault=midstream]]")));
        QVERIFY(answer.error.has_value());
        QVERIFY(!answer.text.isEmpty()); // the partial answer stays, marked failed
        QCOMPARE(m_primary->requestCount(), 1);
        QCOMPARE(m_backup->requestCount(), 0);
    }

    void budgetRefusesBeforeSendingOnEveryHop() {
        m_engine->settings().setDailyBudgetUsd(0.0001);
        QString error;
        QVERIFY(m_engine->settings().save(&error));
        QNetworkAccessManager network;
        auto engine = Engine::open(&network, m_dir->path(), &error);
        QVERIFY(engine);
        m_engine = std::move(engine);
        // 100 output tokens of gpt-4o cost at most $0.001: more than the whole daily budget.
        const Answer answer = run(plan(
            {target(*m_primary, QStringLiteral("gpt-4o")), target(*m_backup, QStringLiteral("gpt-4.1"))}));
        QVERIFY(answer.error.has_value());
        QCOMPARE(answer.error->type, ErrorType::Budget);
        QVERIFY(answer.error->message.contains(QStringLiteral("daily")));
        QCOMPARE(m_primary->requestCount(), 0);
        QCOMPARE(m_backup->requestCount(), 0);
    }

    void spendIsRecordedFromReportedUsage() {
        const Answer answer = run(plan({target(*m_primary, QStringLiteral("gpt-4o-mini"))}));
        QVERIFY(answer.succeeded());
        QVERIFY(answer.costUsd.has_value());
        const double expected = (static_cast<double>(*answer.usage.inputTokens) * 0.15 +
                                 static_cast<double>(*answer.usage.outputTokens) * 0.6) /
                                1e6;
        QVERIFY(qAbs(*answer.costUsd - expected) < 1e-12);
        QVERIFY(qAbs(m_engine->budget().status(m_engine->now()).spentTodayUsd - expected) < 1e-12);
    }

    void unknownModelCostIsUnknownNotZero() {
        const Answer answer = run(plan({target(*m_primary, QStringLiteral("mock-model-without-price"))}));
        QVERIFY(answer.succeeded());
        QVERIFY(!answer.costUsd.has_value());
    }

    void identicalRequestIsServedFromCache() {
        const Answer first = run(plan({target(*m_primary)}));
        QList<RequestState> states;
        const Answer second = run(plan({target(*m_primary)}), &states);
        QCOMPARE(m_primary->requestCount(), 1);
        QVERIFY(second.cached);
        QCOMPARE(second.costUsd, std::optional<double>(0.0));
        QCOMPARE(second.text, first.text);
        QCOMPARE(second.ttftMs, first.ttftMs); // the original timings are kept for display
        QCOMPARE(states.last(), RequestState::Cached);

        RequestPlan uncached = plan({target(*m_primary)});
        uncached.useCache = false;
        QVERIFY(!run(uncached).cached);
        QCOMPARE(m_primary->requestCount(), 2);
    }

    void failuresAreNotCached() {
        setFault(*m_primary, QStringLiteral("400"));
        QVERIFY(!run(plan({target(*m_primary)})).succeeded());
        setFault(*m_primary, QString());
        QVERIFY(run(plan({target(*m_primary)})).succeeded());
        QCOMPARE(m_primary->requestCount(), 2);
    }

    void circuitBreakerOpensAndClosesAgain() {
        qint64 clock = QDateTime::currentMSecsSinceEpoch();
        m_engine->now = [&clock] { return QDateTime::fromMSecsSinceEpoch(clock, Qt::UTC); };
        m_engine->circuitBreaker().failureThreshold = 2;
        m_engine->circuitBreaker().cooldownMs = 30'000;
        m_engine->retryPolicy().maxRetries = 0;
        setFault(*m_primary, QStringLiteral("500"));
        RequestPlan request = plan({target(*m_primary), target(*m_backup)});
        request.useCache = false;

        run(request);
        run(request);
        QCOMPARE(m_primary->requestCount(), 2); // two failures open the circuit
        const Answer skipped = run(request);
        QVERIFY(skipped.succeeded());
        QCOMPARE(m_primary->requestCount(), 2); // skipped while open: fallback goes straight on
        QCOMPARE(m_backup->requestCount(), 3);

        clock += 31'000; // the cool-down is over: one probe goes through, and it succeeds
        setFault(*m_primary, QString());
        const Answer probe = run(request);
        QVERIFY(probe.succeeded());
        QVERIFY(!probe.fallbackFrom.has_value());
        QCOMPARE(m_primary->requestCount(), 3);
        QCOMPARE(m_engine->circuitBreaker().state(
                     QStringLiteral("http://127.0.0.1:%1/v1").arg(m_primary->port()), clock),
                 CircuitBreaker::State::Closed);
    }

    void waitsForRateLimitCapacity() {
        QJsonObject limits{{QStringLiteral("127.0.0.1:%1").arg(m_primary->port()),
                            QJsonObject{{"requests_per_minute", 60}}}};
        m_engine->rateLimiter().configure(limits);
        RequestPlan request = plan({target(*m_primary)});
        request.useCache = false;
        // A minute's worth (60) goes at once; the 61st waits about a second for capacity.
        for (int i = 0; i < 60; ++i)
            QCOMPARE(m_engine->rateLimiter().tryAcquire(
                         RateLimiter::bucketFor(request.chain.first().profile.baseUrl, kKey),
                         request.chain.first().profile.baseUrl, 0, m_engine->now().toMSecsSinceEpoch()),
                     0);
        QList<RequestState> states;
        const Answer answer = run(request, &states);
        QVERIFY(answer.succeeded());
        QVERIFY(states.contains(RequestState::Waiting));
    }

    void auditChainVerifiesAndDetectsAnEdit() {
        run(plan({target(*m_primary)}));
        setFault(*m_primary, QStringLiteral("400"));
        run(plan({target(*m_primary)}, QStringLiteral("Another question")));
        AuditLog::Verification verification = m_engine->audit().verify();
        QVERIFY(verification.intact);
        QCOMPARE(verification.records, 2);

        QSqlQuery query(m_engine->database().connection());
        QVERIFY(query.exec(QStringLiteral("SELECT content FROM audit WHERE id = 1")) && query.next());
        QVERIFY(query.value(0).toString().contains(QStringLiteral("\"status\":\"ok\"")));
        QVERIFY(!QSqlQuery(m_engine->database().connection())
                     .exec(QStringLiteral(
                         "UPDATE audit SET content = 'x' WHERE id = 1"))); // refused by a trigger
        // A tamperer who drops the trigger still cannot hide the edit from verify.
        QVERIFY(QSqlQuery(m_engine->database().connection())
                    .exec(QStringLiteral("DROP TRIGGER audit_no_update")));
        QVERIFY(QSqlQuery(m_engine->database().connection())
                    .exec(QStringLiteral("UPDATE audit SET content = replace(content, '\"status\":\"ok\"', "
                                         "'\"status\":\"failed\"') WHERE id = 1")));
        verification = m_engine->audit().verify();
        QVERIFY(!verification.intact);
        QCOMPARE(verification.firstBrokenId, std::optional<qint64>(1));
    }

    void theKeyIsStoredNowhere() {
        run(plan({target(*m_primary)}));
        setFault(*m_primary, QStringLiteral("401"));
        run(plan({target(*m_primary)}, QStringLiteral("second")));
        m_engine.reset(); // close the database so every page is on disk
        const QDir dir(m_dir->path());
        for (const QString& name : dir.entryList(QDir::Files)) {
            QFile file(dir.absoluteFilePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains(kKey.toUtf8()), qPrintable(name));
        }
    }
};

QTEST_GUILESS_MAIN(TestRequestRunner)
#include "TestRequestRunner.moc"
