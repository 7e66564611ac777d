// The model lister against parallax-mock over real loopback HTTP: each protocol's list endpoint as the
// mock writes it from the server side, read by the client's ModelListEndpoint; failures become the
// typed errors the chat requests have.

#include "mock/MockServer.h"
#include "providers/ModelLister.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace parallax;

Q_DECLARE_METATYPE(ProviderKind)

namespace {

constexpr int kWaitMs = 30'000; // generous: CI machines are slow and busy

ProviderProfile profileAt(ProviderKind kind, const QString& baseUrl) {
    return ProviderProfile{providerKindName(kind) + QStringLiteral(":any"), kind, QStringLiteral("any"),
                           QUrl(baseUrl)};
}

/// Accepts connections and answers each request with `response` (empty: never answers).
class CannedServer : public QTcpServer {
public:
    explicit CannedServer(QByteArray response)
        : m_response(std::move(response)) {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    socket->readAll();
                    if (!m_response.isEmpty())
                        socket->write(m_response);
                });
            }
        });
    }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(serverPort()); }

private:
    QByteArray m_response;
};

} // namespace

class TestModelLister : public QObject {
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    /// Runs one listing to its end.
    static bool list(ModelLister& lister, const ProviderProfile& profile, const QString& key) {
        QSignalSpy finished(&lister, &ModelLister::finished);
        lister.start(profile, key);
        return finished.wait(kWaitMs) && finished.size() == 1 && !lister.isRunning();
    }

private slots:
    void listsEachProvidersModels_data() {
        QTest::addColumn<ProviderKind>("kind");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("expected");
        const QStringList openAi{"gpt-4.1", "gpt-4o-mini", "gpt-mock", "mock-large", "mock-small"};
        QTest::newRow("openai") << ProviderKind::OpenAi << "/v1" << openAi;
        QTest::newRow("openai-compatible") << ProviderKind::OpenAiCompatible << "/v1" << openAi;
        QTest::newRow("openai-compatible at another base") << ProviderKind::OpenAiCompatible << "" << openAi;
        QTest::newRow("anthropic") << ProviderKind::Anthropic << ""
                                   << QStringList{"claude-haiku-4-5", "claude-mock",
                                                  "claude-opus-4-1-20250805", "claude-sonnet-4-5-20250929"};
        // models/ is stripped; the embedding model, which cannot generateContent, is left out.
        QTest::newRow("gemini") << ProviderKind::Gemini << ""
                                << QStringList{"gemini-2.0-flash", "gemini-2.5-flash", "gemini-2.5-pro",
                                               "gemini-mock"};
        QTest::newRow("ollama") << ProviderKind::Ollama << "" << QStringList{"llama3.2:latest"};
    }

    void listsEachProvidersModels() {
        QFETCH(ProviderKind, kind);
        QFETCH(QString, path);
        QFETCH(QStringList, expected);
        mock::MockConfig config;
        config.requiredApiKey = QStringLiteral("the-right-key");
        mock::MockServer server(config);
        QVERIFY(server.listen());
        ModelLister lister(&m_network);
        QVERIFY(list(lister, profileAt(kind, server.baseUrl() + path), QStringLiteral("the-right-key")));
        QVERIFY2(!lister.error(), qPrintable(lister.error() ? lister.error()->message : QString()));
        QCOMPARE(lister.models(), expected);

        // Paged answers are followed to the end: two entries a page give the same list.
        lister.setPageSize(2);
        QVERIFY(list(lister, profileAt(kind, server.baseUrl() + path), QStringLiteral("the-right-key")));
        QCOMPARE(lister.models(), expected);
        const int pages =
            int(std::count_if(server.receivedRequests().cbegin(), server.receivedRequests().cend(),
                              [](const mock::ReceivedRequest& request) {
                                  return request.target.contains("pageSize=2") ||
                                         request.target.contains("limit=2");
                              }));
        if (kind == ProviderKind::Anthropic)
            QCOMPARE(pages, 2); // 4 models
        else if (kind == ProviderKind::Gemini)
            QCOMPARE(pages, 3); // 5 entries, one of them an embedding model
        else
            QCOMPARE(pages, 0); // these protocols do not page their lists
    }

    void aWrongKeyIsAnAuthErrorWithoutTheKey_data() {
        QTest::addColumn<ProviderKind>("kind");
        QTest::addColumn<QString>("path");
        QTest::newRow("openai") << ProviderKind::OpenAi << "/v1";
        QTest::newRow("openai-compatible") << ProviderKind::OpenAiCompatible << "/v1";
        QTest::newRow("anthropic") << ProviderKind::Anthropic << "";
        QTest::newRow("gemini") << ProviderKind::Gemini << "";
    }

    void aWrongKeyIsAnAuthErrorWithoutTheKey() {
        QFETCH(ProviderKind, kind);
        QFETCH(QString, path);
        mock::MockConfig config;
        config.requiredApiKey = QStringLiteral("the-right-key");
        mock::MockServer server(config);
        QVERIFY(server.listen());
        ModelLister lister(&m_network);
        const QString wrong = QStringLiteral("sk-wrong-key-4242");
        QVERIFY(list(lister, profileAt(kind, server.baseUrl() + path), wrong));
        QVERIFY(lister.error());
        QCOMPARE(lister.error()->type, ErrorType::Auth);
        QCOMPARE(lister.error()->httpStatus, std::optional<int>(401));
        QVERIFY(!lister.error()->message.isEmpty());
        QVERIFY(!lister.error()->message.contains(wrong));
        QVERIFY(lister.models().isEmpty());
    }

    void aKeyEchoedInAnErrorIsRemoved() {
        const QByteArray body = R"({"error":{"message":"Incorrect API key provided: sk-echoed-secret-99.",)"
                                R"("type":"invalid_request_error","code":"invalid_api_key"}})";
        CannedServer server(
            "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: " +
            QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        ModelLister lister(&m_network);
        QVERIFY(list(lister, profileAt(ProviderKind::OpenAi, server.baseUrl()),
                     QStringLiteral("sk-echoed-secret-99")));
        QCOMPARE(lister.error()->type, ErrorType::Auth);
        QVERIFY2(!lister.error()->message.contains("sk-echoed-secret-99"),
                 qPrintable(lister.error()->message));
        QVERIFY(lister.error()->message.contains("[key removed]"));
    }

    void aServerThatIsNoProviderIsNotFound() {
        const QByteArray body = "<html><title>Welcome</title></html>";
        CannedServer server("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " +
                            QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        ModelLister lister(&m_network);
        QVERIFY(list(lister, profileAt(ProviderKind::Anthropic, server.baseUrl()), QString()));
        QCOMPARE(lister.error()->type, ErrorType::NotFound);
        QVERIFY(lister.error()->message.contains("/v1/models"));

        // A wrong base URL on a real provider: its 404 in its own shape.
        mock::MockServer mock;
        QVERIFY(mock.listen());
        QVERIFY(list(lister, profileAt(ProviderKind::Ollama, mock.baseUrl() + "/v1"), QString()));
        QCOMPARE(lister.error()->type, ErrorType::NotFound);
        QCOMPARE(lister.error()->httpStatus, std::optional<int>(404));
    }

    void networkFailuresAndTimeouts() {
        ModelLister lister(&m_network);
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close(); // nothing listens there now
        QVERIFY(list(lister, profileAt(ProviderKind::Ollama, QStringLiteral("http://127.0.0.1:%1").arg(port)),
                     QString()));
        QCOMPARE(lister.error()->type, ErrorType::Network);
        QVERIFY2(lister.error()->message.contains("refused"), qPrintable(lister.error()->message));

        CannedServer silent{QByteArray()};
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        lister.setTimeoutMs(300);
        QVERIFY(list(lister, profileAt(ProviderKind::OpenAi, silent.baseUrl()), QStringLiteral("k")));
        QCOMPARE(lister.error()->type, ErrorType::Timeout);
    }

    void cancelEndsWithCancelledAndRestartDropsTheOldListing() {
        CannedServer silent{QByteArray()};
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        ModelLister lister(&m_network);
        QSignalSpy finished(&lister, &ModelLister::finished);
        lister.start(profileAt(ProviderKind::OpenAi, silent.baseUrl()), QString());
        QVERIFY(lister.isRunning());
        lister.cancel();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(lister.error()->type, ErrorType::Cancelled);

        // Started again while running: only the second listing finishes.
        mock::MockServer mock;
        QVERIFY(mock.listen());
        finished.clear();
        lister.start(profileAt(ProviderKind::OpenAi, silent.baseUrl()), QString());
        lister.start(profileAt(ProviderKind::Ollama, mock.baseUrl()), QString());
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(lister.models(), QStringList{"llama3.2:latest"});
    }
};

QTEST_GUILESS_MAIN(TestModelLister)
#include "TestModelLister.moc"
