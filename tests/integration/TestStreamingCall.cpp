// Each adapter against parallax-mock over real loopback HTTP: the request goes out through
// QNetworkAccessManager, the mock answers with its own server-side code, and the client's parser reads it.

#include "mock/MockServer.h"
#include "net/StreamingCall.h"
#include "providers/ProviderKind.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace parallax;

Q_DECLARE_METATYPE(ProviderKind)

namespace {

constexpr int kWaitMs = 30'000; // generous: CI machines are slow and busy

QString baseUrlFor(ProviderKind kind, quint16 port) {
    const QString root = QStringLiteral("http://127.0.0.1:%1").arg(port);
    switch (kind) {
    case ProviderKind::OpenAi:
    case ProviderKind::OpenAiCompatible:
        return root + QStringLiteral("/v1");
    default:
        return root;
    }
}

} // namespace

class TestStreamingCall : public QObject {
    Q_OBJECT

private:
    struct Result {
        Answer answer;
        QString streamed;
    };

    Result ask(ProviderKind kind, const QString& prompt, const QString& key = QStringLiteral("test-key"),
               ChatRequest request = {}, CallOptions options = {}) {
        ProviderProfile profile;
        profile.kind = kind;
        profile.name = providerKindName(kind) + QStringLiteral(":mock-model");
        profile.model = QStringLiteral("mock-model");
        profile.baseUrl = QUrl(baseUrlFor(kind, m_server->port()));
        request.messages = {ChatMessage{ChatMessage::Role::User, prompt}};
        StreamingCall call(&m_network, profile, request, key, options);
        Result result;
        connect(&call, &StreamingCall::delta, this, [&result](const StreamDelta& delta) {
            if (delta.channel == StreamDelta::Channel::Answer)
                result.streamed += delta.text;
        });
        QSignalSpy finished(&call, &StreamingCall::finished);
        call.start();
        if (!call.isFinished())
            [&] { QVERIFY(finished.wait(kWaitMs)); }();
        result.answer = call.answer();
        return result;
    }

    QNetworkAccessManager m_network;
    std::unique_ptr<mock::MockServer> m_server;

private slots:
    void init() {
        m_server = std::make_unique<mock::MockServer>();
        QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
    }
    void cleanup() { m_server.reset(); }

    void streamsTextAndUsage_data() {
        QTest::addColumn<ProviderKind>("kind");
        for (ProviderKind kind : {ProviderKind::OpenAi, ProviderKind::Anthropic, ProviderKind::Gemini,
                                  ProviderKind::Ollama, ProviderKind::OpenAiCompatible})
            QTest::newRow(qPrintable(providerKindName(kind))) << kind;
    }
    void streamsTextAndUsage() {
        QFETCH(ProviderKind, kind);
        const Result first = ask(kind, QStringLiteral("Explain loopback networking in one paragraph."));
        const Answer& answer = first.answer;
        QVERIFY2(answer.succeeded(), qPrintable(answer.error ? answer.error->message : QString()));
        QCOMPARE(answer.attempts, 1);
        QCOMPARE(answer.text.split(QLatin1Char(' '), Qt::SkipEmptyParts).size(),
                 m_server->config().answerTokens);
        QCOMPARE(first.streamed, answer.text);
        QCOMPARE(answer.finishReason, FinishReason::Stop);
        QVERIFY(answer.rawFinishReason.has_value());
        QVERIFY(answer.usage.inputTokens.value_or(0) > 0);
        QCOMPARE(answer.usage.outputTokens, std::optional<qint64>(m_server->config().answerTokens));
        QVERIFY(answer.ttftMs.has_value());
        QVERIFY(answer.latencyMs.has_value());
        QVERIFY(*answer.ttftMs <= *answer.latencyMs);

        // Same prompt, same answer: the mock is deterministic, so any difference is the client's.
        QCOMPARE(ask(kind, QStringLiteral("Explain loopback networking in one paragraph.")).answer.text,
                 answer.text);

        const QList<mock::ReceivedRequest> requests = m_server->receivedRequests();
        QCOMPARE(requests.size(), 2);
        QVERIFY2(!requests.first().target.contains("test-key"), "the key must never be in the URL");
    }

    void maxTokensEndsWithLength_data() { streamsTextAndUsage_data(); }
    void maxTokensEndsWithLength() {
        QFETCH(ProviderKind, kind);
        ChatRequest request;
        request.maxTokens = 5;
        const Answer answer =
            ask(kind, QStringLiteral("Count to fifty."), QStringLiteral("k"), request).answer;
        QVERIFY(answer.succeeded());
        QCOMPARE(answer.finishReason, FinishReason::Length);
        QCOMPARE(answer.usage.outputTokens, std::optional<qint64>(5));
    }

    void faultsBecomeTypedErrors_data() {
        QTest::addColumn<ProviderKind>("kind");
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("errorType");
        QTest::addColumn<int>("httpStatus"); // 0: none
        QTest::addColumn<bool>("retryable");
        QTest::addColumn<bool>("keepsPartialText");
        for (ProviderKind kind : {ProviderKind::OpenAi, ProviderKind::Anthropic, ProviderKind::Gemini,
                                  ProviderKind::Ollama, ProviderKind::OpenAiCompatible}) {
            const QByteArray name = providerKindName(kind).toLatin1();
            QTest::newRow(name + "/429") << kind << "429"
                                         << "rate_limited" << 429 << true << false;
            QTest::newRow(name + "/500") << kind << "500"
                                         << "server" << 500 << true << false;
            QTest::newRow(name + "/503") << kind << "503"
                                         << "overloaded" << 503 << true << false;
            QTest::newRow(name + "/529") << kind << "529"
                                         << "overloaded" << 529 << true << false;
            QTest::newRow(name + "/400") << kind << "400"
                                         << "invalid_request" << 400 << false << false;
            QTest::newRow(name + "/midstream")
                << kind << "midstream" << (kind == ProviderKind::Anthropic ? "overloaded" : "server") << 0
                << true << true;
            QTest::newRow(name + "/drop") << kind << "drop"
                                          << "network" << 0 << true << true;
            QTest::newRow(name + "/malformed") << kind << "malformed"
                                               << "server" << 0 << true << true;
        }
    }
    void faultsBecomeTypedErrors() {
        QFETCH(ProviderKind, kind);
        QFETCH(QString, fault);
        QFETCH(QString, errorType);
        QFETCH(int, httpStatus);
        QFETCH(bool, retryable);
        QFETCH(bool, keepsPartialText);

        const Result result = ask(kind, QStringLiteral("Tell me a story. [[mock:fault=%1]]").arg(fault));
        const Answer& answer = result.answer;
        QVERIFY2(answer.error.has_value(), "the fault must surface as an error");
        QCOMPARE(errorTypeName(answer.error->type), errorType);
        QCOMPARE(answer.error->httpStatus.value_or(0), httpStatus);
        QCOMPARE(answer.error->retryable, retryable);
        QVERIFY(!answer.error->message.isEmpty());
        QCOMPARE(answer.finishReason, FinishReason::Error);
        QCOMPARE(!answer.text.isEmpty(), keepsPartialText); // what arrived before the failure is kept
        QCOMPARE(result.streamed, answer.text);
        if (fault == QLatin1String("429"))
            QCOMPARE(answer.error->retryAfterMs, std::optional<qint64>(1000));
    }

    void wrongKeyIsAnAuthErrorWithoutTheKey_data() {
        QTest::addColumn<ProviderKind>("kind");
        for (ProviderKind kind : {ProviderKind::OpenAi, ProviderKind::Anthropic, ProviderKind::Gemini})
            QTest::newRow(qPrintable(providerKindName(kind))) << kind;
    }
    void wrongKeyIsAnAuthErrorWithoutTheKey() {
        QFETCH(ProviderKind, kind);
        mock::MockConfig config = m_server->config();
        config.requiredApiKey = QStringLiteral("the-right-key");
        m_server->setConfig(config);
        const QString wrongKey = QStringLiteral("sk-wrong-key-0123456789");
        const Answer answer = ask(kind, QStringLiteral("hello"), wrongKey).answer;
        QVERIFY(answer.error.has_value());
        QCOMPARE(answer.error->type, ErrorType::Auth);
        QCOMPARE(answer.error->httpStatus, std::optional<int>(401));
        QVERIFY(!answer.error->retryable);
        QVERIFY(!answer.error->message.contains(wrongKey));
        QVERIFY(ask(kind, QStringLiteral("hello"), QStringLiteral("the-right-key")).answer.succeeded());
    }

    void stallEndsInTimeout() {
        CallOptions options;
        options.timeoutMs = 1500;
        const Answer answer = ask(ProviderKind::OpenAi, QStringLiteral("hang [[mock:fault=stall]]"),
                                  QStringLiteral("k"), {}, options)
                                  .answer;
        QVERIFY(answer.error.has_value());
        QCOMPARE(answer.error->type, ErrorType::Timeout);
        QVERIFY(!answer.text.isEmpty()); // the tokens before the stall are kept
    }

    void idleTimeoutCatchesASilentServer() {
        CallOptions options;
        options.idleTimeoutMs = 800;
        const Answer answer = ask(ProviderKind::Anthropic, QStringLiteral("hang [[mock:fault=stall]]"),
                                  QStringLiteral("k"), {}, options)
                                  .answer;
        QVERIFY(answer.error.has_value());
        QCOMPARE(answer.error->type, ErrorType::Timeout);
        QVERIFY(answer.error->message.contains(QStringLiteral("sent nothing")));
    }

    void cancelKeepsWhatArrived() {
        ProviderProfile profile{QStringLiteral("ollama:slow"), ProviderKind::Ollama, QStringLiteral("slow"),
                                QUrl(baseUrlFor(ProviderKind::Ollama, m_server->port()))};
        ChatRequest request;
        request.messages = {
            ChatMessage{ChatMessage::Role::User, QStringLiteral("go [[mock:tokens=500 tps=20]]")}};
        StreamingCall call(&m_network, profile, request, QString(), CallOptions{});
        QSignalSpy deltas(&call, &StreamingCall::delta);
        QSignalSpy finished(&call, &StreamingCall::finished);
        call.start();
        QVERIFY(deltas.wait(kWaitMs));
        call.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QVERIFY(call.answer().error.has_value());
        QCOMPARE(call.answer().error->type, ErrorType::Cancelled);
        QVERIFY(!call.answer().text.isEmpty());
        QCOMPARE(call.answer().finishReason,
                 FinishReason::Unknown); // cancelled is not a failure of the model
    }

    void unreachableHostIsANetworkError() {
        m_server.reset(); // nothing listens on that port any more
        ProviderProfile profile{QStringLiteral("gone"), ProviderKind::OpenAi, QStringLiteral("m"),
                                QUrl(QStringLiteral("http://127.0.0.1:1/v1"))};
        ChatRequest request;
        request.messages = {ChatMessage{ChatMessage::Role::User, QStringLiteral("hi")}};
        StreamingCall call(&m_network, profile, request, QStringLiteral("k"), CallOptions{});
        QSignalSpy finished(&call, &StreamingCall::finished);
        call.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QCOMPARE(call.answer().error->type, ErrorType::Network);
        QVERIFY(call.answer().error->message.contains(QStringLiteral("127.0.0.1:1")));
    }

    void sendsTheRequestTheProtocolExpects() {
        ChatRequest request;
        request.system = QStringLiteral("Be brief.");
        request.temperature = 0.5;
        ask(ProviderKind::Anthropic, QStringLiteral("hello"), QStringLiteral("anthropic-key"), request);
        const mock::ReceivedRequest received = m_server->receivedRequests().last();
        QCOMPARE(received.path, QByteArray("/v1/messages"));
        QCOMPARE(received.header("x-api-key"), QByteArray("anthropic-key"));
        QCOMPARE(received.header("anthropic-version"), QByteArray("2023-06-01"));
        QVERIFY(received.body.contains("\"system\":\"Be brief.\""));
        QVERIFY(received.body.contains("\"stream\":true"));
    }
};

QTEST_GUILESS_MAIN(TestStreamingCall)
#include "TestStreamingCall.moc"
