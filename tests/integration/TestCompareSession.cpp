#include "engine/CompareSession.h"
#include "mock/MockServer.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace parallax;

class TestCompareSession : public QObject {
    Q_OBJECT

private slots:
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
        ChatRequest request;
        request.messages = {ChatMessage{ChatMessage::Role::User, QStringLiteral("Compare these.")}};

        QNetworkAccessManager network;
        CompareSession session(&network, targets, request, CallOptions{});
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
        ChatRequest request;
        request.messages = {ChatMessage{ChatMessage::Role::User, QStringLiteral("hi")}};
        QNetworkAccessManager network;
        CompareSession session(&network, targets, request, CallOptions{});
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
        ChatRequest request;
        request.messages = {
            ChatMessage{ChatMessage::Role::User, QStringLiteral("[[mock:tokens=400 tps=10]]")}};
        QNetworkAccessManager network;
        CompareSession session(&network, targets, request, CallOptions{});
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
