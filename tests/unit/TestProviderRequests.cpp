#include "providers/ProviderRegistry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>

using namespace parallax;

namespace {

ProviderProfile makeProfile(ProviderKind kind, const QString& model, const QString& baseUrl = {}) {
    ProviderProfile profile;
    profile.name = QStringLiteral("test");
    profile.kind = kind;
    profile.model = model;
    profile.baseUrl = QUrl(baseUrl.isEmpty() ? defaultBaseUrl(kind) : baseUrl);
    return profile;
}

ChatRequest conversation(std::optional<int> maxTokens = std::nullopt,
                         std::optional<double> temperature = std::nullopt) {
    ChatRequest request;
    request.system = QStringLiteral("Be brief.");
    request.messages = {{ChatMessage::Role::User, QStringLiteral("Hi")},
                        {ChatMessage::Role::Assistant, QStringLiteral("Hello!")},
                        {ChatMessage::Role::User, QStringLiteral("Name a colour, \"quoted\".")}};
    request.maxTokens = maxTokens;
    request.temperature = temperature;
    return request;
}

QJsonObject bodyOf(ProviderKind kind, const ProviderProfile& profile, const ChatRequest& request) {
    const QByteArray body = ProviderRegistry::provider(kind).buildBody(profile, request);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qWarning("body is not a JSON object: %s", body.constData());
    return document.object();
}

} // namespace

Q_DECLARE_METATYPE(parallax::ProviderKind)

class TestProviderRequests : public QObject {
    Q_OBJECT

private slots:
    void registryHasEveryKind();
    void url_data();
    void url();
    void commonHeaders_data();
    void commonHeaders();

    void openAiHeaders();
    void openAiBody_data();
    void openAiBody();
    void openAiOptionalFields();

    void anthropicHeaders();
    void anthropicBody();

    void geminiRequest();
    void geminiBody();

    void ollamaHeaders();
    void ollamaBody();

    void errorFromResponseUsesHeaders();
};

void TestProviderRequests::registryHasEveryKind() {
    for (ProviderKind kind : {ProviderKind::OpenAi, ProviderKind::Anthropic, ProviderKind::Gemini,
                              ProviderKind::Ollama, ProviderKind::OpenAiCompatible}) {
        QCOMPARE(ProviderRegistry::provider(kind).kind(), kind);
        QVERIFY(ProviderRegistry::provider(kind).createStream() != nullptr);
    }
}

void TestProviderRequests::url_data() {
    QTest::addColumn<ProviderKind>("kind");
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("expectedUrl");

    QTest::newRow("openai default") << ProviderKind::OpenAi << ""
                                    << "gpt-4o-mini"
                                    << "https://api.openai.com/v1/chat/completions";
    QTest::newRow("openai trailing slash") << ProviderKind::OpenAi << "https://api.openai.com/v1/"
                                           << "gpt-4o-mini"
                                           << "https://api.openai.com/v1/chat/completions";
    QTest::newRow("compatible") << ProviderKind::OpenAiCompatible << "http://127.0.0.1:8080/v1"
                                << "llama3"
                                << "http://127.0.0.1:8080/v1/chat/completions";
    QTest::newRow("compatible two trailing slashes")
        << ProviderKind::OpenAiCompatible << "http://127.0.0.1:8080/v1//"
        << "llama3"
        << "http://127.0.0.1:8080/v1/chat/completions";
    QTest::newRow("compatible without path") << ProviderKind::OpenAiCompatible << "http://localhost:1234"
                                             << "llama3"
                                             << "http://localhost:1234/chat/completions";
    QTest::newRow("anthropic default") << ProviderKind::Anthropic << ""
                                       << "claude-sonnet-4-5"
                                       << "https://api.anthropic.com/v1/messages";
    QTest::newRow("anthropic trailing slash") << ProviderKind::Anthropic << "https://api.anthropic.com/"
                                              << "claude-sonnet-4-5"
                                              << "https://api.anthropic.com/v1/messages";
    QTest::newRow("anthropic behind a proxy path")
        << ProviderKind::Anthropic << "https://proxy.example.com/anthropic/"
        << "claude-sonnet-4-5"
        << "https://proxy.example.com/anthropic/v1/messages";
    QTest::newRow("gemini default") << ProviderKind::Gemini << ""
                                    << "gemini-2.0-flash"
                                    << "https://generativelanguage.googleapis.com/v1beta/models/"
                                       "gemini-2.0-flash:streamGenerateContent?alt=sse";
    QTest::newRow("gemini trailing slash")
        << ProviderKind::Gemini << "http://127.0.0.1:9000/"
        << "gemini-2.5-pro"
        << "http://127.0.0.1:9000/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse";
    QTest::newRow("ollama default") << ProviderKind::Ollama << ""
                                    << "llama3.2:1b"
                                    << "http://localhost:11434/api/chat";
    QTest::newRow("ollama trailing slash") << ProviderKind::Ollama << "http://gpu-box:11434/"
                                           << "llama3"
                                           << "http://gpu-box:11434/api/chat";
}

void TestProviderRequests::url() {
    QFETCH(ProviderKind, kind);
    QFETCH(QString, baseUrl);
    QFETCH(QString, model);
    QFETCH(QString, expectedUrl);

    const QNetworkRequest request = ProviderRegistry::provider(kind).buildRequest(
        makeProfile(kind, model, baseUrl), QStringLiteral("k-123"));
    QCOMPARE(request.url().toString(), expectedUrl);
}

void TestProviderRequests::commonHeaders_data() {
    QTest::addColumn<ProviderKind>("kind");
    QTest::addColumn<QByteArray>("accept");

    QTest::newRow("openai") << ProviderKind::OpenAi << QByteArray("text/event-stream");
    QTest::newRow("openai-compatible") << ProviderKind::OpenAiCompatible << QByteArray("text/event-stream");
    QTest::newRow("anthropic") << ProviderKind::Anthropic << QByteArray("text/event-stream");
    QTest::newRow("gemini") << ProviderKind::Gemini << QByteArray("text/event-stream");
    QTest::newRow("ollama") << ProviderKind::Ollama << QByteArray("application/x-ndjson");
}

void TestProviderRequests::commonHeaders() {
    QFETCH(ProviderKind, kind);
    QFETCH(QByteArray, accept);

    const QNetworkRequest request = ProviderRegistry::provider(kind).buildRequest(
        makeProfile(kind, QStringLiteral("m")), QStringLiteral("k"));
    QCOMPARE(request.header(QNetworkRequest::ContentTypeHeader).toByteArray(),
             QByteArray("application/json"));
    QCOMPARE(request.rawHeader("Accept"), accept);
    // Compression would hold the stream back until the end.
    QCOMPARE(request.rawHeader("Accept-Encoding"), QByteArray("identity"));
}

void TestProviderRequests::openAiHeaders() {
    const Provider& openAi = ProviderRegistry::provider(ProviderKind::OpenAi);
    const QNetworkRequest withKey = openAi.buildRequest(
        makeProfile(ProviderKind::OpenAi, QStringLiteral("gpt-4o")), QStringLiteral("sk-test"));
    QCOMPARE(withKey.rawHeader("Authorization"), QByteArray("Bearer sk-test"));
    QVERIFY(!withKey.url().toString().contains(QLatin1String("sk-test")));

    const Provider& compatible = ProviderRegistry::provider(ProviderKind::OpenAiCompatible);
    const ProviderProfile local = makeProfile(ProviderKind::OpenAiCompatible, QStringLiteral("llama3"),
                                              QStringLiteral("http://127.0.0.1:8080/v1"));
    QCOMPARE(compatible.buildRequest(local, QStringLiteral("local-key")).rawHeader("Authorization"),
             QByteArray("Bearer local-key"));
    QVERIFY(!compatible.buildRequest(local, QString()).hasRawHeader("Authorization"));
}

void TestProviderRequests::openAiBody_data() {
    QTest::addColumn<ProviderKind>("kind");
    QTest::addColumn<QString>("maxTokensField");
    QTest::addColumn<QString>("otherField");

    QTest::newRow("openai") << ProviderKind::OpenAi << "max_completion_tokens"
                            << "max_tokens";
    QTest::newRow("openai-compatible") << ProviderKind::OpenAiCompatible << "max_tokens"
                                       << "max_completion_tokens";
}

void TestProviderRequests::openAiBody() {
    QFETCH(ProviderKind, kind);
    QFETCH(QString, maxTokensField);
    QFETCH(QString, otherField);

    const QJsonObject body =
        bodyOf(kind, makeProfile(kind, QStringLiteral("gpt-4o-mini")), conversation(256, 0.7));
    QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("gpt-4o-mini"));
    QCOMPARE(body.value(QLatin1String("stream")), QJsonValue(true));
    QCOMPARE(body.value(QLatin1String("stream_options")).toObject().value(QLatin1String("include_usage")),
             QJsonValue(true));

    const QJsonArray messages = body.value(QLatin1String("messages")).toArray();
    QCOMPARE(messages.size(), 4);
    const QStringList roles{"system", "user", "assistant", "user"};
    const QStringList contents{"Be brief.", "Hi", "Hello!", "Name a colour, \"quoted\"."};
    for (qsizetype i = 0; i < messages.size(); ++i) {
        QCOMPARE(messages[i].toObject().value(QLatin1String("role")).toString(), roles[i]);
        QCOMPARE(messages[i].toObject().value(QLatin1String("content")).toString(), contents[i]);
    }

    QCOMPARE(body.value(maxTokensField), QJsonValue(256));
    QVERIFY(!body.contains(otherField));
    QCOMPARE(body.value(QLatin1String("temperature")).toDouble(), 0.7);
}

void TestProviderRequests::openAiOptionalFields() {
    const ProviderProfile profile = makeProfile(ProviderKind::OpenAi, QStringLiteral("gpt-4o"));
    const QJsonObject bare = bodyOf(ProviderKind::OpenAi, profile, conversation());
    QVERIFY(!bare.contains(QLatin1String("temperature")));
    QVERIFY(!bare.contains(QLatin1String("max_completion_tokens")));
    QVERIFY(!bare.contains(QLatin1String("max_tokens")));

    // A temperature of zero is set, not missing.
    const QJsonObject zero = bodyOf(ProviderKind::OpenAi, profile, conversation(std::nullopt, 0.0));
    QVERIFY(zero.contains(QLatin1String("temperature")));
    QCOMPARE(zero.value(QLatin1String("temperature")).toDouble(), 0.0);

    ChatRequest noSystem = conversation();
    noSystem.system.clear();
    const QJsonArray messages =
        bodyOf(ProviderKind::OpenAi, profile, noSystem).value(QLatin1String("messages")).toArray();
    QCOMPARE(messages.size(), 3);
    QCOMPARE(messages[0].toObject().value(QLatin1String("role")).toString(), QStringLiteral("user"));
}

void TestProviderRequests::anthropicHeaders() {
    const QNetworkRequest request =
        ProviderRegistry::provider(ProviderKind::Anthropic)
            .buildRequest(makeProfile(ProviderKind::Anthropic, QStringLiteral("claude")),
                          QStringLiteral("sk-ant-test"));
    QCOMPARE(request.rawHeader("x-api-key"), QByteArray("sk-ant-test"));
    QCOMPARE(request.rawHeader("anthropic-version"), QByteArray("2023-06-01"));
    QVERIFY(!request.hasRawHeader("Authorization"));
}

void TestProviderRequests::anthropicBody() {
    const ProviderProfile profile = makeProfile(ProviderKind::Anthropic, QStringLiteral("claude-sonnet-4-5"));
    const QJsonObject body = bodyOf(ProviderKind::Anthropic, profile, conversation());
    QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("claude-sonnet-4-5"));
    QCOMPARE(body.value(QLatin1String("stream")), QJsonValue(true));
    QCOMPARE(body.value(QLatin1String("system")).toString(), QStringLiteral("Be brief."));
    QCOMPARE(body.value(QLatin1String("max_tokens")), QJsonValue(4096)); // required by the API
    QVERIFY(!body.contains(QLatin1String("temperature")));

    const QJsonArray messages = body.value(QLatin1String("messages")).toArray();
    QCOMPARE(messages.size(), 3); // no system role in Messages
    const QStringList roles{"user", "assistant", "user"};
    for (qsizetype i = 0; i < messages.size(); ++i)
        QCOMPARE(messages[i].toObject().value(QLatin1String("role")).toString(), roles[i]);
    QCOMPARE(messages[2].toObject().value(QLatin1String("content")).toString(),
             QStringLiteral("Name a colour, \"quoted\"."));

    const QJsonObject set = bodyOf(ProviderKind::Anthropic, profile, conversation(300, 0.2));
    QCOMPARE(set.value(QLatin1String("max_tokens")), QJsonValue(300));
    QCOMPARE(set.value(QLatin1String("temperature")).toDouble(), 0.2);

    ChatRequest noSystem = conversation();
    noSystem.system.clear();
    QVERIFY(!bodyOf(ProviderKind::Anthropic, profile, noSystem).contains(QLatin1String("system")));
}

void TestProviderRequests::geminiRequest() {
    const QNetworkRequest request =
        ProviderRegistry::provider(ProviderKind::Gemini)
            .buildRequest(makeProfile(ProviderKind::Gemini, QStringLiteral("gemini-2.0-flash")),
                          QStringLiteral("AIza-secret"));
    QCOMPARE(request.url().path(), QStringLiteral("/v1beta/models/gemini-2.0-flash:streamGenerateContent"));
    const QUrlQuery query(request.url());
    QCOMPARE(query.queryItemValue(QStringLiteral("alt")), QStringLiteral("sse"));
    QVERIFY(!query.hasQueryItem(QStringLiteral("key")));
    QVERIFY(!request.url().toString().contains(QLatin1String("AIza-secret")));
    QCOMPARE(request.rawHeader("x-goog-api-key"), QByteArray("AIza-secret"));
    QVERIFY(!request.hasRawHeader("Authorization"));
}

void TestProviderRequests::geminiBody() {
    const ProviderProfile profile = makeProfile(ProviderKind::Gemini, QStringLiteral("gemini-2.0-flash"));
    const QJsonObject body = bodyOf(ProviderKind::Gemini, profile, conversation(512, 0.4));

    const QJsonArray contents = body.value(QLatin1String("contents")).toArray();
    QCOMPARE(contents.size(), 3);
    const QStringList roles{"user", "model", "user"};
    const QStringList texts{"Hi", "Hello!", "Name a colour, \"quoted\"."};
    for (qsizetype i = 0; i < contents.size(); ++i) {
        const QJsonObject content = contents[i].toObject();
        QCOMPARE(content.value(QLatin1String("role")).toString(), roles[i]);
        const QJsonArray parts = content.value(QLatin1String("parts")).toArray();
        QCOMPARE(parts.size(), 1);
        QCOMPARE(parts[0].toObject().value(QLatin1String("text")).toString(), texts[i]);
    }

    const QJsonArray systemParts =
        body.value(QLatin1String("systemInstruction")).toObject().value(QLatin1String("parts")).toArray();
    QCOMPARE(systemParts.size(), 1);
    QCOMPARE(systemParts[0].toObject().value(QLatin1String("text")).toString(), QStringLiteral("Be brief."));

    const QJsonObject config = body.value(QLatin1String("generationConfig")).toObject();
    QCOMPARE(config.value(QLatin1String("maxOutputTokens")), QJsonValue(512));
    QCOMPARE(config.value(QLatin1String("temperature")).toDouble(), 0.4);

    ChatRequest plain = conversation();
    plain.system.clear();
    const QJsonObject bare = bodyOf(ProviderKind::Gemini, profile, plain);
    QVERIFY(!bare.contains(QLatin1String("systemInstruction")));
    QVERIFY(
        !bare.value(QLatin1String("generationConfig")).toObject().contains(QLatin1String("maxOutputTokens")));
    QVERIFY(!bare.value(QLatin1String("generationConfig")).toObject().contains(QLatin1String("temperature")));
}

void TestProviderRequests::ollamaHeaders() {
    const Provider& ollama = ProviderRegistry::provider(ProviderKind::Ollama);
    const ProviderProfile profile = makeProfile(ProviderKind::Ollama, QStringLiteral("llama3.2:1b"));
    QVERIFY(!ollama.buildRequest(profile, QString()).hasRawHeader("Authorization"));
    QCOMPARE(ollama.buildRequest(profile, QStringLiteral("cloud-key")).rawHeader("Authorization"),
             QByteArray("Bearer cloud-key"));
}

void TestProviderRequests::ollamaBody() {
    const ProviderProfile profile = makeProfile(ProviderKind::Ollama, QStringLiteral("llama3.2:1b"));
    const QJsonObject body = bodyOf(ProviderKind::Ollama, profile, conversation(128, 0.9));
    QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("llama3.2:1b"));
    QCOMPARE(body.value(QLatin1String("stream")), QJsonValue(true));

    const QJsonArray messages = body.value(QLatin1String("messages")).toArray();
    QCOMPARE(messages.size(), 4);
    QCOMPARE(messages[0].toObject().value(QLatin1String("role")).toString(), QStringLiteral("system"));
    QCOMPARE(messages[0].toObject().value(QLatin1String("content")).toString(), QStringLiteral("Be brief."));
    QCOMPARE(messages[1].toObject().value(QLatin1String("role")).toString(), QStringLiteral("user"));
    QCOMPARE(messages[2].toObject().value(QLatin1String("role")).toString(), QStringLiteral("assistant"));

    const QJsonObject options = body.value(QLatin1String("options")).toObject();
    QCOMPARE(options.value(QLatin1String("num_predict")), QJsonValue(128));
    QCOMPARE(options.value(QLatin1String("temperature")).toDouble(), 0.9);

    const QJsonObject bare = bodyOf(ProviderKind::Ollama, profile, conversation());
    QVERIFY(!bare.value(QLatin1String("options")).toObject().contains(QLatin1String("num_predict")));
    QVERIFY(!bare.value(QLatin1String("options")).toObject().contains(QLatin1String("temperature")));
}

void TestProviderRequests::errorFromResponseUsesHeaders() {
    const Provider& anthropic = ProviderRegistry::provider(ProviderKind::Anthropic);
    const QByteArray overloaded(
        R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");

    const ProviderError waited = anthropic.errorFromResponse(529, overloaded, {{"retry-after", "3"}});
    QCOMPARE(errorTypeName(waited.type), QStringLiteral("overloaded"));
    QCOMPARE(waited.retryAfterMs, std::optional<qint64>(3000));
    QVERIFY(waited.retryable);

    const ProviderError refused = anthropic.errorFromResponse(529, overloaded, {{"x-should-retry", "false"}});
    QVERIFY(!refused.retryable);

    const ProviderError forced = anthropic.errorFromResponse(
        400, R"({"type":"error","error":{"type":"invalid_request_error","message":"x"}})",
        {{"x-should-retry", "true"}});
    QVERIFY(forced.retryable);
}

QTEST_GUILESS_MAIN(TestProviderRequests)
#include "TestProviderRequests.moc"
