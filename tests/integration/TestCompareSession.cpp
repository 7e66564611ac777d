#include "engine/CompareSession.h"
#include "engine/Engine.h"
#include "mock/MockServer.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace parallax;

namespace {
CompareRequest requestFor(const QList<CompareTarget>& targets, const QString& prompt) {
    CompareRequest request;
    for (const CompareTarget& target : targets)
        request.columns.append({target});
    request.request.messages = {ChatMessage{ChatMessage::Role::User, prompt}};
    request.useCache = false;
    return request;
}
} // namespace

class TestCompareSession : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;
    std::unique_ptr<Engine> m_engine;

private slots:
    void init() {
        QString error;
        m_engine = Engine::open(&m_network, m_dir.path(), &error);
        QVERIFY2(m_engine, qPrintable(error));
    }
    void cleanup() { m_engine.reset(); }

    void answersEveryProfileInItsOwnColumn() {
        mock::MockServer server;
        QVERIFY(server.listen());
        const QString root = QStringLiteral("http://127.0.0.1:%1").arg(server.port());
        QList<CompareTarget> targets{
            {{QStringLiteral("a"), ProviderKind::OpenAi, QStringLiteral("gpt-mock"), QUrl(root + "/v1")},
             "k1"},
            {{QStringLiteral("b"), ProviderKind::Anthropic, QStringLiteral("claude-mock"), QUrl(root)}, "k2"},
            {{QStringLiteral("c"), ProviderKind::Gemini, QStringLiteral("gemini-mock"), QUrl(root)}, "k3"},
            {{QStringLiteral("d"), ProviderKind::Ollama, QStringLiteral("llama-mock"), QUrl(root)},
             QString()},
            {{QStringLiteral("e"), ProviderKind::OpenAi, QStringLiteral("gone"),
              QUrl("http://127.0.0.1:1/v1")},
             "k"},
        };
        CompareSession session(*m_engine, requestFor(targets, QStringLiteral("Compare these.")));
        QMap<int, QString> streamed;
        connect(&session, &CompareSession::answerDelta, this,
                [&streamed](int index, const StreamDelta& delta) { streamed[index] += delta.text; });
        QSignalSpy perAnswer(&session, &CompareSession::answerFinished);
        QSignalSpy all(&session, &CompareSession::finished);
        session.start();
        QVERIFY(all.wait(30'000));
        QCOMPARE(all.size(), 1);
        QCOMPARE(perAnswer.size(), 5);
        QVERIFY(session.isFinished());

        const QList<Answer> answers = session.answers();
        QCOMPARE(answers.size(), 5);
        for (int i = 0; i < 4; ++i) {
            QVERIFY2(answers[i].succeeded(), qPrintable(answers[i].profile));
            QCOMPARE(answers[i].profile, targets[i].profile.name);
            QCOMPARE(answers[i].model, targets[i].profile.model);
            QCOMPARE(streamed.value(i), answers[i].text);
            QVERIFY(!answers[i].text.isEmpty());
        }
        // One failing profile does not spoil the others.
        QCOMPARE(answers[4].error->type, ErrorType::Network);
        QCOMPARE(server.requestCount(), 4);
        QCOMPARE(m_engine->history().count(), 1); // the comparison is in the history
        const QList<RunRecord> recent = m_engine->history().recent(10);
        QCOMPARE(recent.size(), 1);
        QCOMPARE(recent.first().prompt, QStringLiteral("Compare these."));
        QCOMPARE(m_engine->history().recent(10, QStringLiteral("these")).size(), 1);
        QCOMPARE(m_engine->history().recent(10, QStringLiteral("absent words")).size(), 0);
    }

    void synthesisCitesTheAnswersAndAgreementIsLocal() {
        mock::MockServer server;
        QVERIFY(server.listen());
        const QUrl url(QStringLiteral("http://127.0.0.1:%1/v1").arg(server.port()));
        QList<CompareTarget> targets{
            {{QStringLiteral("a"), ProviderKind::OpenAi, QStringLiteral("m1"), url}, "k"},
            {{QStringLiteral("b"), ProviderKind::OpenAi, QStringLiteral("m2"), url}, "k"},
            {{QStringLiteral("c"), ProviderKind::OpenAi, QStringLiteral("m1"), url}, "k"}};
        CompareRequest request = requestFor(targets, QStringLiteral("What is loopback?"));
        request.synthesizer =
            CompareTarget{{QStringLiteral("s"), ProviderKind::OpenAi, QStringLiteral("synth"), url}, "k"};
        CompareSession session(*m_engine, request);
        QSignalSpy started(&session, &CompareSession::synthesisStarted);
        QSignalSpy all(&session, &CompareSession::finished);
        session.start();
        QVERIFY(all.wait(30'000));
        QCOMPARE(started.size(), 1);
        QVERIFY(session.synthesis().has_value());
        QVERIFY(session.synthesis()->succeeded());
        QCOMPARE(server.requestCount(), 4);
        // The synthesizer saw the question and every answer under its label.
        const QByteArray body = server.receivedRequests().last().body;
        QVERIFY(body.contains("What is loopback?"));
        for (const char* label : {"[A]", "[B]", "[C]", "Disagreements"})
            QVERIFY2(body.contains(label), label);
        QCOMPARE(session.synthesisLabels().size(), 3);
        QCOMPARE(session.synthesisLabels().first().second, QStringLiteral("a"));

        // Same model, same prompt: identical answers agree fully; the matrix is symmetric.
        const QJsonArray matrix = session.agreementJson().value("matrix").toArray();
        QCOMPARE(matrix.size(), 3);
        QCOMPARE(matrix[0].toArray()[2].toDouble(), 1.0);
        QCOMPARE(matrix[0].toArray()[1].toDouble(), matrix[1].toArray()[0].toDouble());
        QVERIFY(matrix[0].toArray()[1].toDouble() < 1.0);
    }

    void runsInParallelNotOneAfterAnother() {
        mock::MockConfig config;
        config.ttftMs = 300;
        config.answerTokens = 4;
        QStringList events; // the order in which requests arrive and answers end
        QList<std::shared_ptr<mock::MockServer>> servers;
        QList<CompareTarget> targets;
        for (int i = 0; i < 4; ++i) {
            auto server = std::make_shared<mock::MockServer>(config);
            QVERIFY(server->listen());
            connect(server.get(), &mock::MockServer::requestReceived, this,
                    [&events] { events.append(QStringLiteral("request")); });
            targets.append({{QStringLiteral("p%1").arg(i), ProviderKind::OpenAi, QStringLiteral("m"),
                             QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(server->port()))},
                            QStringLiteral("k")});
            servers.append(server);
        }
        CompareSession session(*m_engine, requestFor(targets, QStringLiteral("hi")));
        connect(&session, &CompareSession::answerFinished, this,
                [&events] { events.append(QStringLiteral("answer")); });
        QSignalSpy all(&session, &CompareSession::finished);
        session.start();
        QVERIFY(all.wait(30'000));
        for (const Answer& answer : session.answers())
            QVERIFY(answer.succeeded());
        // A sequential client could not send the second request before the first answer ended.
        QCOMPARE(events, QStringList({"request", "request", "request", "request", "answer", "answer",
                                      "answer", "answer"}));
    }

    void cancelEndsEveryAnswer() {
        mock::MockServer server;
        QVERIFY(server.listen());
        const QUrl url(QStringLiteral("http://127.0.0.1:%1/v1").arg(server.port()));
        QList<CompareTarget> targets{
            {{QStringLiteral("a"), ProviderKind::OpenAi, QStringLiteral("m"), url}, "k"},
            {{QStringLiteral("b"), ProviderKind::OpenAi, QStringLiteral("m"), url}, "k"}};
        CompareSession session(*m_engine, requestFor(targets, QStringLiteral("[[mock:tokens=400 tps=10]]")));
        QSignalSpy deltas(&session, &CompareSession::answerDelta);
        QSignalSpy all(&session, &CompareSession::finished);
        session.start();
        QVERIFY(deltas.wait(30'000));
        session.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(all.size(), 1, 30'000);
        for (const Answer& answer : session.answers())
            QCOMPARE(answer.error->type, ErrorType::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestCompareSession)
#include "TestCompareSession.moc"
