// Tests parallax-mock from the outside, as a client would: raw QTcpSocket for exact bytes and
// connection behaviour, QNetworkAccessManager for what the real client stack sees. The
// responses are picked apart with small helpers here, never with the client's parsers.
#include "mock/MockServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QtTest>

#include <optional>

using namespace parallax::mock;

namespace {

constexpr int kTimeoutMs = 30'000; // generous: CI machines are slow and busy

using Headers = QList<QPair<QByteArray, QByteArray>>;

QByteArray headerValue(const Headers& headers, const QByteArray& name) {
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

/// One HTTP response read off a raw socket.
struct RawResponse {
    int status = 0;
    Headers headers;
    QByteArray body; // de-chunked
    bool complete = false;
    bool chunked = false;
    QByteArray header(const QByteArray& name) const { return headerValue(headers, name); }
};

/// Parses one response from the front of `raw`; `consumed` tells how many bytes it used when complete.
RawResponse parseResponse(const QByteArray& raw, qsizetype* consumed = nullptr) {
    RawResponse response;
    qsizetype offset = 0;
    while (true) {
        const qsizetype headEnd = raw.indexOf("\r\n\r\n", offset);
        if (headEnd < 0)
            return response;
        const QList<QByteArray> lines = raw.mid(offset, headEnd - offset).split('\n');
        response.status = lines.value(0).split(' ').value(1).toInt();
        response.headers.clear();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                response.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
        offset = headEnd + 4;
        if (response.status != 100) // interim response: the real one follows
            break;
    }
    if (response.header("transfer-encoding").contains("chunked")) {
        response.chunked = true;
        while (true) {
            const qsizetype lineEnd = raw.indexOf("\r\n", offset);
            if (lineEnd < 0)
                return response;
            bool ok = false;
            const qsizetype size = raw.mid(offset, lineEnd - offset).toLongLong(&ok, 16);
            if (!ok)
                return response;
            if (size == 0) {
                if (raw.mid(lineEnd, 4) != "\r\n\r\n")
                    return response;
                response.complete = true;
                if (consumed)
                    *consumed = lineEnd + 4;
                return response;
            }
            if (raw.size() < lineEnd + 2 + size + 2)
                return response;
            response.body += raw.mid(lineEnd + 2, size);
            offset = lineEnd + 2 + size + 2;
        }
    }
    const qsizetype length = response.header("content-length").toLongLong();
    response.body = raw.mid(offset, length);
    response.complete = response.body.size() == length;
    if (response.complete && consumed)
        *consumed = offset + length;
    return response;
}

/// A raw HTTP/1.1 client on one socket, driven by the test's event loop.
class RawClient {
public:
    explicit RawClient(quint16 port) {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        // Writes before the connection is up would be lost; a failure shows in the first response.
        [[maybe_unused]] const bool connected = QTest::qWaitFor(
            [this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, kTimeoutMs);
    }

    QTcpSocket& socket() { return m_socket; }
    void send(const QByteArray& bytes) {
        m_socket.write(bytes);
        m_socket.flush();
    }
    /// Waits for a complete response (or the end of the connection) and takes it off the buffer.
    RawResponse next(int timeoutMs = kTimeoutMs) {
        RawResponse response;
        // A timeout shows up as an incomplete response, which the test then checks.
        [[maybe_unused]] const bool finished = QTest::qWaitFor(
            [&] {
                read();
                response = parseResponse(m_buffer);
                return response.complete || m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
        read();
        qsizetype consumed = 0;
        response = parseResponse(m_buffer, &consumed);
        if (response.complete)
            m_buffer.remove(0, consumed);
        return response;
    }
    /// Waits until `predicate(bytesSoFar)` holds.
    bool waitFor(const std::function<bool(const QByteArray&)>& predicate, int timeoutMs = kTimeoutMs) {
        return QTest::qWaitFor(
            [&] {
                read();
                return predicate(m_buffer);
            },
            timeoutMs);
    }
    const QByteArray& buffer() const { return m_buffer; }

private:
    void read() { m_buffer += m_socket.readAll(); }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

/// A generation request for one protocol.
struct ProtocolRequest {
    QByteArray path;
    QByteArray body;
    Headers headers;
};

ProtocolRequest makeRequest(const QString& protocol, const QString& prompt, bool stream,
                            std::optional<int> maxTokens = std::nullopt, const QString& system = QString()) {
    ProtocolRequest request;
    QJsonObject body;
    if (protocol == QLatin1String("openai")) {
        request.path = "/v1/chat/completions";
        QJsonArray messages;
        if (!system.isEmpty())
            messages.append(QJsonObject{{"role", "system"}, {"content", system}});
        messages.append(QJsonObject{{"role", "user"}, {"content", prompt}});
        body = {{"model", "gpt-4o-mini"}, {"messages", messages}, {"stream", stream}};
        if (maxTokens)
            body.insert("max_completion_tokens", *maxTokens);
    } else if (protocol == QLatin1String("anthropic")) {
        request.path = "/v1/messages";
        request.headers.append(qMakePair(QByteArray("anthropic-version"), QByteArray("2023-06-01")));
        body = {{"model", "claude-haiku-4-5"},
                {"max_tokens", maxTokens.value_or(1024)},
                {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", prompt}}}},
                {"stream", stream}};
        if (!system.isEmpty())
            body.insert("system", system);
    } else if (protocol == QLatin1String("gemini")) {
        request.path = stream ? "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse"
                              : "/v1beta/models/gemini-2.0-flash:generateContent";
        body = {{"contents", QJsonArray{QJsonObject{{"role", "user"},
                                                    {"parts", QJsonArray{QJsonObject{{"text", prompt}}}}}}}};
        if (!system.isEmpty())
            body.insert("systemInstruction",
                        QJsonObject{{"parts", QJsonArray{QJsonObject{{"text", system}}}}});
        if (maxTokens)
            body.insert("generationConfig", QJsonObject{{"maxOutputTokens", *maxTokens}});
    } else {
        request.path = "/api/chat";
        QJsonArray messages;
        if (!system.isEmpty())
            messages.append(QJsonObject{{"role", "system"}, {"content", system}});
        messages.append(QJsonObject{{"role", "user"}, {"content", prompt}});
        body = {{"model", "llama3.2"}, {"messages", messages}, {"stream", stream}};
        if (maxTokens)
            body.insert("options", QJsonObject{{"num_predict", *maxTokens}});
    }
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return request;
}

QByteArray rawRequest(const ProtocolRequest& request, const Headers& extra = {}) {
    QByteArray out =
        "POST " + request.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    for (const auto& [name, value] : request.headers + extra)
        out += name + ": " + value + "\r\n";
    out += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n\r\n" + request.body;
    return out;
}

struct SseEvent {
    QByteArray event;
    QByteArray data;
};

/// Minimal SSE split for bodies the mock wrote: events separated by `separator`.
QList<SseEvent> parseSse(const QByteArray& body, const QByteArray& separator = "\n\n") {
    QList<QByteArray> blocks;
    for (qsizetype start = 0; start < body.size();) {
        qsizetype end = body.indexOf(separator, start);
        if (end < 0)
            end = body.size();
        blocks.append(body.mid(start, end - start));
        start = end + separator.size();
    }
    QList<SseEvent> events;
    for (const QByteArray& block : std::as_const(blocks)) {
        if (block.trimmed().isEmpty())
            continue;
        SseEvent event;
        for (QByteArray line : block.split('\n')) {
            if (line.endsWith('\r'))
                line.chop(1);
            if (line.startsWith("event: "))
                event.event = line.mid(7);
            else if (line.startsWith("data: "))
                event.data += line.mid(6);
        }
        events.append(event);
    }
    return events;
}

QJsonObject json(const QByteArray& bytes) {
    return QJsonDocument::fromJson(bytes).object();
}

bool isJsonObject(const QByteArray& bytes) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    return error.error == QJsonParseError::NoError && document.isObject();
}

QList<QJsonObject> ndjsonLines(const QByteArray& body) {
    QList<QJsonObject> lines;
    for (const QByteArray& line : body.split('\n')) {
        if (!line.isEmpty())
            lines.append(json(line));
    }
    return lines;
}

/// The text deltas of a streamed body, one entry per token event.
QStringList streamedTokens(const QString& protocol, const QByteArray& body) {
    QStringList tokens;
    if (protocol == QLatin1String("openai")) {
        for (const SseEvent& event : parseSse(body)) {
            const QJsonObject delta =
                json(event.data).value("choices").toArray().at(0).toObject().value("delta").toObject();
            if (delta.value("content").isString() && !delta.contains("role"))
                tokens.append(delta.value("content").toString());
        }
    } else if (protocol == QLatin1String("anthropic")) {
        for (const SseEvent& event : parseSse(body)) {
            if (event.event == "content_block_delta")
                tokens.append(json(event.data).value("delta").toObject().value("text").toString());
        }
    } else if (protocol == QLatin1String("gemini")) {
        for (const SseEvent& event : parseSse(body, "\r\n\r\n")) {
            const QJsonArray candidates = json(event.data).value("candidates").toArray();
            if (!candidates.isEmpty()) {
                tokens.append(candidates.at(0)
                                  .toObject()
                                  .value("content")
                                  .toObject()
                                  .value("parts")
                                  .toArray()
                                  .at(0)
                                  .toObject()
                                  .value("text")
                                  .toString());
            }
        }
    } else {
        for (const QJsonObject& line : ndjsonLines(body)) {
            if (!line.value("done").toBool() && line.contains("message"))
                tokens.append(line.value("message").toObject().value("content").toString());
        }
    }
    return tokens;
}

/// The protocol's finish/stop reason in a streamed body.
QString streamedFinish(const QString& protocol, const QByteArray& body) {
    if (protocol == QLatin1String("openai")) {
        for (const SseEvent& event : parseSse(body)) {
            const QJsonValue reason =
                json(event.data).value("choices").toArray().at(0).toObject().value("finish_reason");
            if (reason.isString())
                return reason.toString();
        }
    } else if (protocol == QLatin1String("anthropic")) {
        for (const SseEvent& event : parseSse(body)) {
            if (event.event == "message_delta")
                return json(event.data).value("delta").toObject().value("stop_reason").toString();
        }
    } else if (protocol == QLatin1String("gemini")) {
        const QList<SseEvent> events = parseSse(body, "\r\n\r\n");
        if (!events.isEmpty())
            return json(events.last().data)
                .value("candidates")
                .toArray()
                .at(0)
                .toObject()
                .value("finishReason")
                .toString();
    } else {
        const QList<QJsonObject> lines = ndjsonLines(body);
        if (!lines.isEmpty())
            return lines.last().value("done_reason").toString();
    }
    return {};
}

MockConfig fastConfig() {
    MockConfig config;
    config.ttftMs = 0;
    config.tokensPerSecond = 0;
    config.answerTokens = 8;
    return config;
}

const QStringList kProtocols{"openai", "anthropic", "gemini", "ollama"};

} // namespace

class TestMockServer : public QObject {
    Q_OBJECT
private slots:
    void openAiStreamEndsWithDoneAndNoUsageUnlessAsked();
    void openAiStreamUsageChunk();
    void openAiWholeAnswerUsesContentLength();
    void anthropicEventOrder();
    void anthropicRejectsMissingVersionMaxTokensAndBadJson_data();
    void anthropicRejectsMissingVersionMaxTokensAndBadJson();
    void geminiSseUsesCrlfAndUsageOnEveryChunk();
    void geminiWholeAnswerAndUnknownModelPath();
    void ollamaNdjsonFinalLineHasCounts();
    void ollamaGenerateAndNonStreaming();
    void sameRequestGivesSameAnswer();
    void maxTokensCutsTheAnswer_data();
    void maxTokensCutsTheAnswer();
    void statusFaults_data();
    void statusFaults();
    void midstreamFault_data();
    void midstreamFault();
    void dropClosesWithoutFinalChunk();
    void stallSendsNothingMoreUntilClientAborts();
    void malformedSendsOneBrokenLineThenEndsNormally();
    void requiredApiKey_data();
    void requiredApiKey();
    void modelListsInEachProvidersShape();
    void modelListsArePagedLikeTheProviders();
    void modelListsAnswerAWrongKeyWithTheProvidersOwn401_data();
    void modelListsAnswerAWrongKeyWithTheProvidersOwn401();
    void requestRateLimiter();
    void tokenRateLimiterAnthropicHeaders();
    void keepAliveServesSeveralRequestsOnOneSocket();
    void pipelinedRequestsInTinyPiecesWithExpectContinue();
    void networkAccessManagerReusesTheConnection();
    void connectionCloseAndChunkedRequestBody();
    void pacingHonoursTtftAndTokensPerSecond();
    void directivesAndHeaderPrecedence();
    void invalidDirectiveIs400();
    void configFaultRateIsDeterministic();
    void statsEndpointCounts();
    void receivedRequestsAndSignal();
    void replayFileIsSentByteForByte();
    void unknownPathIs404Json();
    void runsInAWorkerThread();
    void executablePrintsPortAndExitsCleanly();
    void executableRequiresKeyFromEnvironmentAndNeverLogsIt();
    void executableRejectsBadOptions_data();
    void executableRejectsBadOptions();

private:
    struct NamResult {
        int status = 0;
        QByteArray body;
        QNetworkReply::NetworkError error = QNetworkReply::NoError;
        QByteArray contentType;
        QByteArray contentLength;
        QByteArray header(const QByteArray& name) const { return headerValue(headers, name); }
        Headers headers;
    };
    NamResult send(const QByteArray& method, const QString& url, const QByteArray& body = {},
                   const Headers& headers = {});
    NamResult post(const MockServer& server, const ProtocolRequest& request, const Headers& extra = {});

    QNetworkAccessManager m_nam;
};

TestMockServer::NamResult TestMockServer::send(const QByteArray& method, const QString& url,
                                               const QByteArray& body, const Headers& headers) {
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply* reply = m_nam.sendCustomRequest(request, method, body);
    NamResult result;
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, kTimeoutMs)) {
        reply->abort();
        reply->deleteLater();
        return result;
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.error = reply->error();
    result.contentType = reply->rawHeader("Content-Type");
    result.contentLength = reply->rawHeader("Content-Length");
    for (const auto& pair : reply->rawHeaderPairs())
        result.headers.append(pair);
    reply->deleteLater();
    return result;
}

TestMockServer::NamResult TestMockServer::post(const MockServer& server, const ProtocolRequest& request,
                                               const Headers& extra) {
    return send("POST", server.baseUrl() + QString::fromUtf8(request.path), request.body,
                request.headers + extra);
}

void TestMockServer::openAiStreamEndsWithDoneAndNoUsageUnlessAsked() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    const NamResult result = post(server, makeRequest("openai", "Tell me about rivers", true));
    QCOMPARE(result.status, 200);
    QVERIFY(result.contentType.startsWith("text/event-stream"));
    QVERIFY(result.body.endsWith("data: [DONE]\n\n"));
    QVERIFY(!result.body.contains("\"usage\""));
    QVERIFY(!result.header("x-request-id").isEmpty());
    const QList<SseEvent> events = parseSse(result.body);
    // role chunk + 8 tokens + finish chunk + [DONE]
    QCOMPARE(events.size(), 11);
    const QJsonObject first = json(events.first().data);
    QCOMPARE(first.value("object").toString(), QStringLiteral("chat.completion.chunk"));
    QCOMPARE(
        first.value("choices").toArray().at(0).toObject().value("delta").toObject().value("role").toString(),
        QStringLiteral("assistant"));
    const QStringList tokens = streamedTokens("openai", result.body);
    QCOMPARE(tokens.size(), 8);
    QVERIFY(!tokens.first().startsWith(' '));
    for (qsizetype i = 1; i < tokens.size(); ++i)
        QVERIFY2(tokens[i].startsWith(' ') && tokens[i].count(' ') == 1, qPrintable(tokens[i]));
    QCOMPARE(streamedFinish("openai", result.body), QStringLiteral("stop"));
    QCOMPARE(server.requestCount(), 1);
}

void TestMockServer::openAiStreamUsageChunk() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    ProtocolRequest request = makeRequest("openai", "one two three", true, std::nullopt, "be brief");
    QJsonObject body = json(request.body);
    body.insert("stream_options", QJsonObject{{"include_usage", true}});
    request.body = QJsonDocument(body).toJson();
    const NamResult result = post(server, request);
    QCOMPARE(result.status, 200);
    const QList<SseEvent> events = parseSse(result.body);
    QVERIFY(events.size() >= 3);
    QCOMPARE(events.last().data, QByteArray("[DONE]"));
    const QJsonObject usageChunk = json(events.at(events.size() - 2).data);
    QVERIFY(usageChunk.value("choices").isArray());
    QVERIFY(usageChunk.value("choices").toArray().isEmpty());
    const QJsonObject usage = usageChunk.value("usage").toObject();
    QCOMPARE(usage.value("prompt_tokens").toInt(), 5); // "be brief" + "one two three"
    QCOMPARE(usage.value("completion_tokens").toInt(), 8);
    QCOMPARE(usage.value("total_tokens").toInt(), 13);
    QCOMPARE(usage.value("prompt_tokens_details").toObject().value("cached_tokens").toInt(-1), 0);
    QCOMPARE(usage.value("completion_tokens_details").toObject().value("reasoning_tokens").toInt(-1), 0);
    // The finish chunk comes before the usage chunk.
    QCOMPARE(json(events.at(events.size() - 3).data)
                 .value("choices")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value("finish_reason")
                 .toString(),
             QStringLiteral("stop"));
}

void TestMockServer::openAiWholeAnswerUsesContentLength() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    const NamResult result = post(server, makeRequest("openai", "hello", false));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.contentLength.toInt(), result.body.size());
    const QJsonObject object = json(result.body);
    QCOMPARE(object.value("object").toString(), QStringLiteral("chat.completion"));
    const QJsonObject choice = object.value("choices").toArray().at(0).toObject();
    QCOMPARE(choice.value("finish_reason").toString(), QStringLiteral("stop"));
    QCOMPARE(choice.value("message").toObject().value("content").toString().split(' ').size(), 8);
    QCOMPARE(object.value("usage").toObject().value("completion_tokens").toInt(), 8);
}

void TestMockServer::anthropicEventOrder() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    const NamResult result = post(server, makeRequest("anthropic", "hi there", true, std::nullopt, "sys"));
    QCOMPARE(result.status, 200);
    QVERIFY(!result.header("request-id").isEmpty());
    const QList<SseEvent> events = parseSse(result.body);
    QStringList names;
    for (const SseEvent& event : events) {
        names.append(QString::fromUtf8(event.event));
        QCOMPARE(json(event.data).value("type").toString(), QString::fromUtf8(event.event));
    }
    QStringList expected{"message_start", "content_block_start", "ping"};
    for (int i = 0; i < 8; ++i)
        expected.append("content_block_delta");
    expected += QStringList{"content_block_stop", "message_delta", "message_stop"};
    QCOMPARE(names, expected);
    const QJsonObject start = json(events.first().data).value("message").toObject();
    QCOMPARE(start.value("usage").toObject().value("input_tokens").toInt(), 3);
    QCOMPARE(start.value("usage").toObject().value("output_tokens").toInt(), 1);
    const QJsonObject messageDelta = json(events.at(events.size() - 2).data);
    QCOMPARE(messageDelta.value("delta").toObject().value("stop_reason").toString(),
             QStringLiteral("end_turn"));
    QCOMPARE(messageDelta.value("usage").toObject().value("output_tokens").toInt(), 8);
}

void TestMockServer::anthropicRejectsMissingVersionMaxTokensAndBadJson_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("withVersion");
    const QByteArray valid = makeRequest("anthropic", "hi", true).body;
    QJsonObject noMax = json(valid);
    noMax.remove("max_tokens");
    QTest::newRow("no anthropic-version") << valid << false;
    QTest::newRow("no max_tokens") << QJsonDocument(noMax).toJson() << true;
    QTest::newRow("bad json") << QByteArray("{\"model\": \"x\", ") << true;
}

void TestMockServer::anthropicRejectsMissingVersionMaxTokensAndBadJson() {
    QFETCH(QByteArray, body);
    QFETCH(bool, withVersion);
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    const Headers headers = withVersion ? Headers{{"anthropic-version", "2023-06-01"}, {"x-api-key", "k"}}
                                        : Headers{{"x-api-key", "k"}};
    const NamResult result = send("POST", server.baseUrl() + "/v1/messages", body, headers);
    QCOMPARE(result.status, 400);
    const QJsonObject object = json(result.body);
    QCOMPARE(object.value("type").toString(), QStringLiteral("error"));
    QCOMPARE(object.value("error").toObject().value("type").toString(),
             QStringLiteral("invalid_request_error"));
    QVERIFY(!object.value("error").toObject().value("message").toString().isEmpty());
}

void TestMockServer::geminiSseUsesCrlfAndUsageOnEveryChunk() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    const NamResult result =
        post(server, makeRequest("gemini", "hello gemini", true, std::nullopt, "be kind"));
    QCOMPARE(result.status, 200);
    QVERIFY(result.contentType.startsWith("text/event-stream"));
    QVERIFY(result.body.endsWith("\r\n\r\n"));
    // Every line break belongs to a CRLF CRLF separator.
    QVERIFY(!QByteArray(result.body).replace("\r\n\r\n", "").contains('\n'));
    QVERIFY(!QByteArray(result.body).replace("\r\n\r\n", "").contains('\r'));
    const QList<SseEvent> events = parseSse(result.body, "\r\n\r\n");
    QCOMPARE(events.size(), 8);
    int previous = 0;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const QJsonObject chunk = json(events[i].data);
        const QJsonObject candidate = chunk.value("candidates").toArray().at(0).toObject();
        QCOMPARE(candidate.value("content").toObject().value("role").toString(), QStringLiteral("model"));
        QCOMPARE(candidate.contains("finishReason"), i == events.size() - 1);
        const QJsonObject usage = chunk.value("usageMetadata").toObject();
        QCOMPARE(usage.value("promptTokenCount").toInt(), 4);
        QVERIFY(usage.value("candidatesTokenCount").toInt() > previous);
        previous = usage.value("candidatesTokenCount").toInt();
        QCOMPARE(usage.value("totalTokenCount").toInt(), 4 + previous);
        QCOMPARE(chunk.value("modelVersion").toString(), QStringLiteral("gemini-2.0-flash"));
    }
    QCOMPARE(previous, 8);
    QCOMPARE(streamedFinish("gemini", result.body), QStringLiteral("STOP"));
}

void TestMockServer::geminiWholeAnswerAndUnknownModelPath() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    const NamResult whole = post(server, makeRequest("gemini", "hello", false));
    QCOMPARE(whole.status, 200);
    const QJsonObject object = json(whole.body);
    QCOMPARE(object.value("candidates").toArray().at(0).toObject().value("finishReason").toString(),
             QStringLiteral("STOP"));
    QCOMPARE(object.value("usageMetadata").toObject().value("candidatesTokenCount").toInt(), 8);

    const NamResult unknown = send("POST", server.baseUrl() + "/v1beta/models/gemini-2.0-flash:summonDragons",
                                   makeRequest("gemini", "x", false).body);
    QCOMPARE(unknown.status, 404);
    const QJsonObject error = json(unknown.body).value("error").toObject();
    QCOMPARE(error.value("code").toInt(), 404);
    QCOMPARE(error.value("status").toString(), QStringLiteral("NOT_FOUND"));
    const NamResult noMethod = send("POST", server.baseUrl() + "/v1beta/models", "{}");
    QCOMPARE(noMethod.status, 404);
    QCOMPARE(json(noMethod.body).value("error").toObject().value("status").toString(),
             QStringLiteral("NOT_FOUND"));
}

void TestMockServer::ollamaNdjsonFinalLineHasCounts() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    ProtocolRequest request = makeRequest("ollama", "hello llama", true);
    QJsonObject body = json(request.body);
    body.remove("stream"); // streaming is Ollama's default
    request.body = QJsonDocument(body).toJson();
    const NamResult result = post(server, request);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.contentType, QByteArray("application/x-ndjson"));
    QVERIFY(result.body.endsWith('\n'));
    const QList<QJsonObject> lines = ndjsonLines(result.body);
    QCOMPARE(lines.size(), 9);
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        QCOMPARE(lines[i].value("done").toBool(true), false);
        QCOMPARE(lines[i].value("model").toString(), QStringLiteral("llama3.2"));
        QVERIFY(!lines[i].value("created_at").toString().isEmpty());
        QCOMPARE(lines[i].value("message").toObject().value("role").toString(), QStringLiteral("assistant"));
    }
    const QJsonObject last = lines.last();
    QCOMPARE(last.value("done").toBool(), true);
    QCOMPARE(last.value("done_reason").toString(), QStringLiteral("stop"));
    QCOMPARE(last.value("prompt_eval_count").toInt(), 2);
    QCOMPARE(last.value("eval_count").toInt(), 8);
    for (const char* key : {"total_duration", "load_duration", "prompt_eval_duration", "eval_duration"})
        QVERIFY2(last.value(key).toDouble() > 0, key);
}

void TestMockServer::ollamaGenerateAndNonStreaming() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    const QByteArray generateBody =
        R"({"model":"llama3.2","prompt":"why is the sky blue","options":{"num_predict":3}})";
    const NamResult generate = send("POST", server.baseUrl() + "/api/generate", generateBody);
    QCOMPARE(generate.status, 200);
    const QList<QJsonObject> lines = ndjsonLines(generate.body);
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines.first().value("response").isString());
    QVERIFY(!lines.first().contains("message"));
    QCOMPARE(lines.last().value("done_reason").toString(), QStringLiteral("length"));
    QCOMPARE(lines.last().value("eval_count").toInt(), 3);

    const NamResult whole = post(server, makeRequest("ollama", "hi", false));
    QCOMPARE(whole.status, 200);
    QCOMPARE(whole.contentLength.toInt(), whole.body.size());
    const QJsonObject object = json(whole.body);
    QCOMPARE(object.value("done").toBool(), true);
    QCOMPARE(object.value("message").toObject().value("content").toString().split(' ').size(), 8);

    const NamResult tags = send("GET", server.baseUrl() + "/api/tags");
    QCOMPARE(tags.status, 200);
    QCOMPARE(json(tags.body).value("models").toArray().size(), 1);
    const NamResult models = send("GET", server.baseUrl() + "/v1/models");
    QCOMPARE(models.status, 200);
    QVERIFY(json(models.body).value("data").toArray().size() >= 2);
}

void TestMockServer::sameRequestGivesSameAnswer() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    for (const QString& protocol : kProtocols) {
        const QStringList first =
            streamedTokens(protocol, post(server, makeRequest(protocol, "a fixed prompt", true)).body);
        const QStringList second =
            streamedTokens(protocol, post(server, makeRequest(protocol, "a fixed prompt", true)).body);
        const QStringList other =
            streamedTokens(protocol, post(server, makeRequest(protocol, "another prompt", true)).body);
        // A directive is neither echoed nor part of what seeds the answer.
        const QStringList withDirective = streamedTokens(
            protocol, post(server, makeRequest(protocol, "a fixed prompt [[mock:ttft=0]]", true)).body);
        QCOMPARE(first.size(), 8);
        QCOMPARE(second, first);
        QCOMPARE(withDirective, first);
        QVERIFY2(other != first, qPrintable(protocol));
        QVERIFY(!first.join(QString()).contains(QLatin1String("mock")));
    }
}

void TestMockServer::maxTokensCutsTheAnswer_data() {
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("lengthReason");
    QTest::newRow("openai") << "openai"
                            << "length";
    QTest::newRow("anthropic") << "anthropic"
                               << "max_tokens";
    QTest::newRow("gemini") << "gemini"
                            << "MAX_TOKENS";
    QTest::newRow("ollama") << "ollama"
                            << "length";
}

void TestMockServer::maxTokensCutsTheAnswer() {
    QFETCH(QString, protocol);
    QFETCH(QString, lengthReason);
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    const QStringList full =
        streamedTokens(protocol, post(server, makeRequest(protocol, "long story", true)).body);
    const NamResult cut = post(server, makeRequest(protocol, "long story", true, 3));
    QCOMPARE(cut.status, 200);
    QCOMPARE(streamedTokens(protocol, cut.body), full.mid(0, 3));
    QCOMPARE(streamedFinish(protocol, cut.body), lengthReason);
    // A limit above the answer length changes nothing.
    const NamResult roomy = post(server, makeRequest(protocol, "long story", true, 100));
    QCOMPARE(streamedTokens(protocol, roomy.body), full);
    QVERIFY(streamedFinish(protocol, roomy.body) != lengthReason);
}

void TestMockServer::statusFaults_data() {
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("expectedType"); // error type / status / message, by protocol
    const QList<QPair<QString, QStringList>> cases{
        {"429", {"requests", "rate_limit_error", "RESOURCE_EXHAUSTED", ""}},
        {"500", {"server_error", "api_error", "INTERNAL", ""}},
        {"503", {"server_error", "overloaded_error", "UNAVAILABLE", ""}},
        {"529", {"server_error", "overloaded_error", "UNAVAILABLE", ""}},
        {"401", {"invalid_request_error", "authentication_error", "UNAUTHENTICATED", ""}},
        {"400", {"invalid_request_error", "invalid_request_error", "INVALID_ARGUMENT", ""}},
    };
    for (const auto& [fault, types] : cases) {
        for (int p = 0; p < kProtocols.size(); ++p) {
            QTest::addRow("%s %s", qPrintable(kProtocols[p]), qPrintable(fault))
                << kProtocols[p] << fault << types[p];
        }
    }
}

void TestMockServer::statusFaults() {
    QFETCH(QString, protocol);
    QFETCH(QString, fault);
    QFETCH(QString, expectedType);
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    const NamResult result =
        post(server, makeRequest(protocol, "hi", true), {{"X-Mock-Fault", fault.toUtf8()}});
    QCOMPARE(result.status, fault.toInt());
    QCOMPARE(result.contentLength.toInt(), result.body.size());
    const QJsonObject body = json(result.body);
    if (protocol == QLatin1String("openai")) {
        const QJsonObject error = body.value("error").toObject();
        QCOMPARE(error.value("type").toString(), expectedType);
        QVERIFY(!error.value("message").toString().isEmpty());
        QVERIFY(error.contains("param") && error.contains("code"));
        if (fault == QLatin1String("429"))
            QCOMPARE(error.value("code").toString(), QStringLiteral("rate_limit_exceeded"));
    } else if (protocol == QLatin1String("anthropic")) {
        QCOMPARE(body.value("type").toString(), QStringLiteral("error"));
        QCOMPARE(body.value("error").toObject().value("type").toString(), expectedType);
        QVERIFY(body.value("request_id").isString());
    } else if (protocol == QLatin1String("gemini")) {
        const QJsonObject error = body.value("error").toObject();
        QCOMPARE(error.value("code").toInt(), fault.toInt());
        QCOMPARE(error.value("status").toString(), expectedType);
        if (fault == QLatin1String("429")) {
            const QJsonObject detail = error.value("details").toArray().at(0).toObject();
            QCOMPARE(detail.value("@type").toString(),
                     QStringLiteral("type.googleapis.com/google.rpc.RetryInfo"));
            QCOMPARE(detail.value("retryDelay").toString(), QStringLiteral("1s"));
        }
    } else {
        QVERIFY(body.value("error").isString());
        QVERIFY(!body.value("error").toString().isEmpty());
    }
    if (fault == QLatin1String("429")) {
        QCOMPARE(result.header("retry-after"), QByteArray("1"));
        QCOMPARE(result.header("retry-after-ms"), QByteArray("1000"));
    }
    QCOMPARE(server.statsJson().value("byFault").toObject().value(fault).toInt(), 1);
}

void TestMockServer::midstreamFault_data() {
    QTest::addColumn<QString>("protocol");
    for (const QString& protocol : kProtocols)
        QTest::newRow(qPrintable(protocol)) << protocol;
}

void TestMockServer::midstreamFault() {
    QFETCH(QString, protocol);
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    RawClient client(server.port());
    client.send(rawRequest(makeRequest(protocol, "hi", true), {{"X-Mock-Fault", "midstream"}}));
    const RawResponse response = client.next();
    QVERIFY(response.complete); // the response still ends properly
    QCOMPARE(response.status, 200);
    QCOMPARE(streamedTokens(protocol, response.body).size(), 3);
    QVERIFY(streamedFinish(protocol, response.body).isEmpty());
    if (protocol == QLatin1String("openai")) {
        const QList<SseEvent> events = parseSse(response.body);
        const QJsonObject error = json(events.last().data).value("error").toObject();
        QCOMPARE(error.value("type").toString(), QStringLiteral("server_error"));
        QVERIFY(!response.body.contains("[DONE]"));
    } else if (protocol == QLatin1String("anthropic")) {
        const QList<SseEvent> events = parseSse(response.body);
        QCOMPARE(events.last().event, QByteArray("error"));
        QCOMPARE(json(events.last().data).value("error").toObject().value("type").toString(),
                 QStringLiteral("overloaded_error"));
    } else if (protocol == QLatin1String("gemini")) {
        const QList<SseEvent> events = parseSse(response.body, "\r\n\r\n");
        const QJsonObject error = json(events.last().data).value("error").toObject();
        QCOMPARE(error.value("code").toInt(), 500);
        QCOMPARE(error.value("status").toString(), QStringLiteral("INTERNAL"));
    } else {
        const QList<QJsonObject> lines = ndjsonLines(response.body);
        QVERIFY(lines.last().value("error").isString());
    }
}

void TestMockServer::dropClosesWithoutFinalChunk() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    RawClient client(server.port());
    client.send(rawRequest(makeRequest("openai", "hi", true), {{"X-Mock-Fault", "drop"}}));
    const RawResponse response = client.next();
    QCOMPARE(client.socket().state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(response.status, 200);
    QVERIFY(response.chunked);
    QVERIFY(!response.complete);
    QVERIFY(!client.buffer().endsWith("0\r\n\r\n"));
    QCOMPARE(streamedTokens("openai", response.body).size(), 3);
    QVERIFY(!response.body.contains("[DONE]"));
    QTRY_COMPARE(server.statsJson().value("connectionsDropped").toInt(), 1);
}

void TestMockServer::stallSendsNothingMoreUntilClientAborts() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    RawClient client(server.port());
    client.send(rawRequest(makeRequest("anthropic", "hi", true), {{"X-Mock-Fault", "stall"}}));
    QVERIFY(client.waitFor([](const QByteArray& bytes) {
        return streamedTokens("anthropic", parseResponse(bytes).body).size() == 3;
    }));
    // Nothing more comes within a generous window, and the connection stays open.
    QSignalSpy readyRead(&client.socket(), &QTcpSocket::readyRead);
    QVERIFY(!readyRead.wait(1500));
    QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState);
    QVERIFY(!parseResponse(client.buffer()).complete);
    client.socket().abort();
    QTRY_COMPARE_WITH_TIMEOUT(server.statsJson().value("clientAborts").toInt(), 1, kTimeoutMs);
}

void TestMockServer::malformedSendsOneBrokenLineThenEndsNormally() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    const NamResult result = post(server, makeRequest("openai", "hi", true), {{"X-Mock-Fault", "malformed"}});
    QCOMPARE(result.status, 200);
    const QList<SseEvent> events = parseSse(result.body);
    int invalid = 0;
    for (const SseEvent& event : events) {
        if (event.data != "[DONE]" && !isJsonObject(event.data))
            ++invalid;
    }
    QCOMPARE(invalid, 1);
    QCOMPARE(events.last().data, QByteArray("[DONE]"));
    QCOMPARE(streamedFinish("openai", result.body), QStringLiteral("stop"));

    const NamResult ndjson = post(server, makeRequest("ollama", "hi", true), {{"X-Mock-Fault", "malformed"}});
    int badLines = 0;
    for (const QByteArray& line : ndjson.body.split('\n')) {
        if (!line.isEmpty() && !isJsonObject(line))
            ++badLines;
    }
    QCOMPARE(badLines, 1);
    QCOMPARE(ndjsonLines(ndjson.body).last().value("done").toBool(), true);
}

void TestMockServer::requiredApiKey_data() {
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<QString>("pathSuffix");
    QTest::addColumn<int>("status");
    QTest::newRow("openai none") << "openai" << Headers{} << "" << 401;
    QTest::newRow("openai wrong") << "openai" << Headers{{"Authorization", "Bearer nope"}} << "" << 401;
    QTest::newRow("openai right") << "openai" << Headers{{"Authorization", "Bearer sk-test"}} << "" << 200;
    QTest::newRow("anthropic wrong") << "anthropic" << Headers{{"x-api-key", "nope"}} << "" << 401;
    QTest::newRow("anthropic right") << "anthropic" << Headers{{"x-api-key", "sk-test"}} << "" << 200;
    QTest::newRow("gemini none") << "gemini" << Headers{} << "" << 401;
    QTest::newRow("gemini header") << "gemini" << Headers{{"x-goog-api-key", "sk-test"}} << "" << 200;
    QTest::newRow("gemini query") << "gemini" << Headers{} << "&key=sk-test" << 200;
    QTest::newRow("ollama has no auth") << "ollama" << Headers{} << "" << 200;
}

void TestMockServer::requiredApiKey() {
    QFETCH(QString, protocol);
    QFETCH(Headers, headers);
    QFETCH(QString, pathSuffix);
    QFETCH(int, status);
    MockConfig config = fastConfig();
    config.requiredApiKey = QStringLiteral("sk-test");
    MockServer server(config);
    QVERIFY(server.listen());
    ProtocolRequest request = makeRequest(protocol, "hi", true);
    request.path += pathSuffix.toUtf8();
    const NamResult result = post(server, request, headers);
    QCOMPARE(result.status, status);
    if (status == 401) {
        QVERIFY(!result.body.contains("sk-test"));
        QVERIFY(!result.body.contains("nope"));
        QVERIFY(json(result.body).contains("error"));
    }
}

void TestMockServer::modelListsInEachProvidersShape() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    const QString base = server.baseUrl();

    const NamResult openAi = send("GET", base + "/v1/models");
    QCOMPARE(openAi.status, 200);
    QCOMPARE(json(openAi.body).value("object").toString(), QStringLiteral("list"));
    const QJsonArray openAiModels = json(openAi.body).value("data").toArray();
    QVERIFY(openAiModels.size() >= 2);
    QCOMPARE(openAiModels.first().toObject().value("object").toString(), QStringLiteral("model"));
    QVERIFY(!openAiModels.first().toObject().value("id").toString().isEmpty());
    // A compatible server's base URL may end anywhere: /models answers the same.
    QCOMPARE(json(send("GET", base + "/models").body).value("data").toArray(), openAiModels);

    const NamResult anthropic = send("GET", base + "/v1/models", {}, {{"anthropic-version", "2023-06-01"}});
    QCOMPARE(anthropic.status, 200);
    const QJsonObject anthropicPage = json(anthropic.body);
    QCOMPARE(anthropicPage.value("has_more").toBool(true), false);
    const QJsonArray anthropicModels = anthropicPage.value("data").toArray();
    QVERIFY(anthropicModels.size() >= 2);
    QCOMPARE(anthropicModels.first().toObject().value("type").toString(), QStringLiteral("model"));
    QVERIFY(anthropicModels.first().toObject().contains("display_name"));
    QCOMPARE(anthropicPage.value("first_id").toString(),
             anthropicModels.first().toObject().value("id").toString());
    QCOMPARE(anthropicPage.value("last_id").toString(),
             anthropicModels.last().toObject().value("id").toString());
    // Anthropic refuses a request without its version header; x-api-key marks the request as Anthropic's.
    const NamResult noVersion = send("GET", base + "/v1/models", {}, {{"x-api-key", "k"}});
    QCOMPARE(noVersion.status, 400);
    QCOMPARE(json(noVersion.body).value("type").toString(), QStringLiteral("error"));

    const NamResult gemini = send("GET", base + "/v1beta/models");
    QCOMPARE(gemini.status, 200);
    const QJsonArray geminiModels = json(gemini.body).value("models").toArray();
    QVERIFY(!json(gemini.body).contains("nextPageToken"));
    bool embeddingOnly = false;
    for (const QJsonValue& model : geminiModels) {
        QVERIFY(model.toObject().value("name").toString().startsWith("models/"));
        if (!model.toObject()
                 .value("supportedGenerationMethods")
                 .toArray()
                 .contains(QJsonValue(QStringLiteral("generateContent"))))
            embeddingOnly = true;
    }
    QVERIFY2(embeddingOnly, "a model that cannot generate is listed too, as Gemini lists embedding models");
    // POST to the list is no method Gemini has.
    QCOMPARE(send("POST", base + "/v1beta/models", "{}").status, 404);

    const NamResult ollama = send("GET", base + "/api/tags");
    QCOMPARE(ollama.status, 200);
    QVERIFY(
        !json(ollama.body).value("models").toArray().first().toObject().value("name").toString().isEmpty());
}

void TestMockServer::modelListsArePagedLikeTheProviders() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    const QString base = server.baseUrl();
    const Headers anthropic{{"anthropic-version", "2023-06-01"}};
    const QJsonArray all =
        json(send("GET", base + "/v1/models?limit=1000", {}, anthropic).body).value("data").toArray();
    QJsonArray collected;
    QString after;
    for (int page = 0; page < 10; ++page) {
        const NamResult result =
            send("GET", base + "/v1/models?limit=2" + (after.isEmpty() ? QString() : "&after_id=" + after),
                 {}, anthropic);
        QCOMPARE(result.status, 200);
        const QJsonObject object = json(result.body);
        QVERIFY(object.value("data").toArray().size() <= 2);
        for (const QJsonValue& model : object.value("data").toArray())
            collected.append(model);
        if (!object.value("has_more").toBool())
            break;
        after = object.value("last_id").toString();
    }
    QCOMPARE(collected, all);
    QVERIFY(all.size() > 2);
    QCOMPARE(send("GET", base + "/v1/models?limit=0", {}, anthropic).status, 400);

    const QJsonArray allGemini =
        json(send("GET", base + "/v1beta/models?pageSize=1000").body).value("models").toArray();
    QJsonArray collectedGemini;
    QString token;
    for (int page = 0; page < 10; ++page) {
        const NamResult result = send("GET", base + "/v1beta/models?pageSize=2" +
                                                 (token.isEmpty() ? QString() : "&pageToken=" + token));
        QCOMPARE(result.status, 200);
        const QJsonObject object = json(result.body);
        for (const QJsonValue& model : object.value("models").toArray())
            collectedGemini.append(model);
        token = object.value("nextPageToken").toString();
        if (token.isEmpty())
            break;
    }
    QCOMPARE(collectedGemini, allGemini);
    QVERIFY(allGemini.size() > 2);
    QCOMPARE(send("GET", base + "/v1beta/models?pageToken=nonsense").status, 400);
}

void TestMockServer::modelListsAnswerAWrongKeyWithTheProvidersOwn401_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("shape"); // whose error body
    QTest::newRow("openai none") << "/v1/models" << Headers{} << 401 << "openai";
    QTest::newRow("openai wrong") << "/v1/models" << Headers{{"Authorization", "Bearer nope"}} << 401
                                  << "openai";
    QTest::newRow("openai right") << "/v1/models" << Headers{{"Authorization", "Bearer sk-test"}} << 200
                                  << "";
    QTest::newRow("compatible wrong")
        << "/models" << Headers{{"Authorization", "Bearer nope"}} << 401 << "openai";
    QTest::newRow("anthropic wrong") << "/v1/models"
                                     << Headers{{"x-api-key", "nope"}, {"anthropic-version", "2023-06-01"}}
                                     << 401 << "anthropic";
    QTest::newRow("anthropic none") << "/v1/models" << Headers{{"anthropic-version", "2023-06-01"}} << 401
                                    << "anthropic";
    QTest::newRow("anthropic right") << "/v1/models"
                                     << Headers{{"x-api-key", "sk-test"}, {"anthropic-version", "2023-06-01"}}
                                     << 200 << "";
    QTest::newRow("gemini wrong") << "/v1beta/models" << Headers{{"x-goog-api-key", "nope"}} << 401
                                  << "gemini";
    QTest::newRow("gemini none") << "/v1beta/models" << Headers{} << 401 << "gemini";
    QTest::newRow("gemini right") << "/v1beta/models" << Headers{{"x-goog-api-key", "sk-test"}} << 200 << "";
    QTest::newRow("gemini query key") << "/v1beta/models?key=sk-test" << Headers{} << 200 << "";
    QTest::newRow("ollama has no auth") << "/api/tags" << Headers{} << 200 << "";
}

void TestMockServer::modelListsAnswerAWrongKeyWithTheProvidersOwn401() {
    QFETCH(QString, path);
    QFETCH(Headers, headers);
    QFETCH(int, status);
    QFETCH(QString, shape);
    MockConfig config = fastConfig();
    config.requiredApiKey = QStringLiteral("sk-test");
    MockServer server(config);
    QVERIFY(server.listen());
    const NamResult result = send("GET", server.baseUrl() + path, {}, headers);
    QCOMPARE(result.status, status);
    if (status != 401)
        return;
    QVERIFY(!result.body.contains("sk-test"));
    QVERIFY(!result.body.contains("nope"));
    const QJsonObject body = json(result.body);
    const QJsonObject error = body.value("error").toObject();
    if (shape == "openai") {
        QCOMPARE(error.value("code").toString(), QStringLiteral("invalid_api_key"));
        QCOMPARE(error.value("type").toString(), QStringLiteral("invalid_request_error"));
    } else if (shape == "anthropic") {
        QCOMPARE(body.value("type").toString(), QStringLiteral("error"));
        QCOMPARE(error.value("type").toString(), QStringLiteral("authentication_error"));
    } else {
        QCOMPARE(error.value("code").toInt(), 401);
        QCOMPARE(error.value("status").toString(), QStringLiteral("UNAUTHENTICATED"));
    }
    QVERIFY(!error.value("message").toString().isEmpty());
}

void TestMockServer::requestRateLimiter() {
    MockConfig config = fastConfig();
    config.requestsPerMinute = 2;
    MockServer server(config);
    QVERIFY(server.listen());
    const ProtocolRequest request = makeRequest("openai", "hi", false);
    const NamResult first = post(server, request);
    QCOMPARE(first.status, 200);
    QCOMPARE(first.header("x-ratelimit-limit-requests"), QByteArray("2"));
    QCOMPARE(first.header("x-ratelimit-remaining-requests"), QByteArray("1"));
    QVERIFY(QRegularExpression("^[0-9.hms]+$")
                .match(QString::fromLatin1(first.header("x-ratelimit-reset-requests")))
                .hasMatch());
    const NamResult second = post(server, request);
    QCOMPARE(second.status, 200);
    QCOMPARE(second.header("x-ratelimit-remaining-requests"), QByteArray("0"));
    const NamResult third = post(server, request);
    QCOMPARE(third.status, 429);
    QCOMPARE(third.header("x-ratelimit-remaining-requests"), QByteArray("0"));
    const int retryAfter = third.header("retry-after").toInt();
    QVERIFY(retryAfter >= 1 && retryAfter <= 60);
    QCOMPARE(json(third.body).value("error").toObject().value("code").toString(),
             QStringLiteral("rate_limit_exceeded"));
    QCOMPARE(server.statsJson().value("rateLimited").toInt(), 1);
}

void TestMockServer::tokenRateLimiterAnthropicHeaders() {
    MockConfig config = fastConfig();
    config.tokensPerMinute = 10; // one request of 1 prompt + 8 answer tokens fits, the second overdraws
    MockServer server(config);
    QVERIFY(server.listen());
    const ProtocolRequest request = makeRequest("anthropic", "hi", false);
    const NamResult first = post(server, request);
    QCOMPARE(first.status, 200);
    QCOMPARE(first.header("anthropic-ratelimit-tokens-limit"), QByteArray("10"));
    QCOMPARE(first.header("anthropic-ratelimit-tokens-remaining"), QByteArray("1"));
    QVERIFY(QDateTime::fromString(QString::fromLatin1(first.header("anthropic-ratelimit-tokens-reset")),
                                  Qt::ISODate)
                .isValid());
    QCOMPARE(post(server, request).status, 200);
    const NamResult limited = post(server, request);
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.header("anthropic-ratelimit-tokens-remaining"), QByteArray("0"));
    QVERIFY(limited.header("retry-after").toInt() >= 1);
    QCOMPARE(json(limited.body).value("error").toObject().value("type").toString(),
             QStringLiteral("rate_limit_error"));
}

void TestMockServer::keepAliveServesSeveralRequestsOnOneSocket() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    RawClient client(server.port());
    client.send(rawRequest(makeRequest("openai", "first", true)));
    const RawResponse streamed = client.next();
    QVERIFY(streamed.complete);
    QVERIFY(streamed.body.endsWith("data: [DONE]\n\n"));
    client.send(rawRequest(makeRequest("gemini", "second", false)));
    const RawResponse whole = client.next();
    QVERIFY(whole.complete);
    QCOMPARE(whole.status, 200);
    QVERIFY(!whole.chunked);
    client.send(rawRequest(makeRequest("ollama", "third", true)));
    QVERIFY(client.next().complete);
    QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState);
    QCOMPARE(server.statsJson().value("connectionsAccepted").toInt(), 1);
    QCOMPARE(server.requestCount(), 3);
}

void TestMockServer::pipelinedRequestsInTinyPiecesWithExpectContinue() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    RawClient client(server.port());
    // Two requests back to back, written a few bytes at a time.
    const QByteArray both =
        rawRequest(makeRequest("openai", "one", false)) + rawRequest(makeRequest("anthropic", "two", false));
    for (qsizetype i = 0; i < both.size(); i += 5) {
        client.send(both.mid(i, 5));
        QCoreApplication::processEvents();
    }
    const RawResponse first = client.next();
    const RawResponse second = client.next();
    QCOMPARE(first.status, 200);
    QCOMPARE(json(first.body).value("object").toString(), QStringLiteral("chat.completion"));
    QCOMPARE(second.status, 200);
    QCOMPARE(json(second.body).value("type").toString(), QStringLiteral("message"));

    // Expect: 100-continue gets its interim response before the body is sent.
    const ProtocolRequest request = makeRequest("ollama", "three", false);
    QByteArray head = rawRequest(request, {{"Expect", "100-continue"}});
    head.chop(request.body.size());
    client.send(head);
    QVERIFY(client.waitFor(
        [](const QByteArray& bytes) { return bytes.startsWith("HTTP/1.1 100 Continue\r\n\r\n"); }));
    client.send(request.body);
    const RawResponse third = client.next();
    QCOMPARE(third.status, 200);
    QCOMPARE(json(third.body).value("done").toBool(), true);
}

void TestMockServer::networkAccessManagerReusesTheConnection() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(post(server, makeRequest("openai", "again", true)).status, 200);
        QCOMPARE(post(server, makeRequest("gemini", "again", false)).status, 200);
    }
    QCOMPARE(server.statsJson().value("connectionsAccepted").toInt(), 1);
}

void TestMockServer::connectionCloseAndChunkedRequestBody() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    RawClient client(server.port());
    const ProtocolRequest request = makeRequest("openai", "chunked body", false);
    QByteArray raw = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     "Connection: close\r\n\r\n";
    for (qsizetype i = 0; i < request.body.size(); i += 7) {
        const QByteArray piece = request.body.mid(i, 7);
        raw += QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
    }
    raw += "0\r\n\r\n";
    client.send(raw);
    const RawResponse response = client.next();
    QVERIFY(response.complete);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("connection").toLower(), QByteArray("close"));
    QCOMPARE(json(response.body).value("object").toString(), QStringLiteral("chat.completion"));
    QVERIFY(client.waitFor(
        [&](const QByteArray&) { return client.socket().state() == QAbstractSocket::UnconnectedState; }));
    QCOMPARE(json(server.receivedRequests().first().body), json(request.body));
}

void TestMockServer::pacingHonoursTtftAndTokensPerSecond() {
    // Only lower bounds (less a few ms for two truncating clocks): a slow machine makes the mock
    // later, never earlier.
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(post(server, makeRequest("openai", "wait", true), {{"X-Mock-Ttft-Ms", "300"}}).status, 200);
    QVERIFY2(timer.elapsed() >= 295, qPrintable(QString::number(timer.elapsed())));
    timer.restart();
    const NamResult paced = post(server, makeRequest("ollama", "slowly [[mock:tps=50 tokens=11]]", true));
    QCOMPARE(streamedTokens("ollama", paced.body).size(), 11);
    QVERIFY2(timer.elapsed() >= 195, qPrintable(QString::number(timer.elapsed()))); // 10 gaps of 20 ms
    timer.restart();
    QCOMPARE(post(server, makeRequest("anthropic", "whole [[mock:ttft=250]]", false)).status, 200);
    QVERIFY2(timer.elapsed() >= 245, qPrintable(QString::number(timer.elapsed())));
}

void TestMockServer::directivesAndHeaderPrecedence() {
    MockConfig config = fastConfig();
    config.fault = QStringLiteral("500"); // every request, unless overridden
    MockServer server(config);
    QVERIFY(server.listen());
    QCOMPARE(post(server, makeRequest("openai", "plain", true)).status, 500);

    // Prompt directive beats the config; several settings in one bracket.
    NamResult result = post(server, makeRequest("openai", "count [[mock:fault=none tokens=5]]", true));
    QCOMPARE(result.status, 200);
    QCOMPARE(streamedTokens("openai", result.body).size(), 5);

    // Header beats the directive; separate brackets work too.
    result = post(server, makeRequest("openai", "[[mock:fault=none]] count [[mock:tokens=5]]", true),
                  {{"X-Mock-Tokens", "7"}});
    QCOMPARE(streamedTokens("openai", result.body).size(), 7);
    result =
        post(server, makeRequest("anthropic", "[[mock:fault=429]] hi", true), {{"X-Mock-Fault", "none"}});
    QCOMPARE(result.status, 200);
    result = post(server, makeRequest("gemini", "hi [[mock:fault=429 retry_after=7]]", true));
    QCOMPARE(result.status, 429);
    QCOMPARE(result.header("retry-after"), QByteArray("7"));

    // Directives in the system prompt count as well.
    result =
        post(server, makeRequest("ollama", "hi", true, std::nullopt, "[[mock:fault=none tokens=2 tps=0]]"));
    QCOMPARE(streamedTokens("ollama", result.body).size(), 2);
    QCOMPARE(ndjsonLines(result.body).last().value("prompt_eval_count").toInt(), 1);

    // midstream + tokens, as in the docs.
    RawClient client(server.port());
    client.send(rawRequest(makeRequest("openai", "[[mock:fault=midstream tokens=10]] story", true)));
    const RawResponse midstream = client.next();
    QVERIFY(midstream.complete);
    QCOMPARE(streamedTokens("openai", midstream.body).size(), 3);
    QVERIFY(!midstream.body.contains("[DONE]"));
}

void TestMockServer::invalidDirectiveIs400() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    NamResult result = post(server, makeRequest("openai", "[[mock:fault=explode]]", true));
    QCOMPARE(result.status, 400);
    QVERIFY(json(result.body).value("error").toObject().value("message").toString().contains("explode"));
    result = post(server, makeRequest("anthropic", "hi", true), {{"X-Mock-Tokens", "many"}});
    QCOMPARE(result.status, 400);
    QCOMPARE(json(result.body).value("error").toObject().value("type").toString(),
             QStringLiteral("invalid_request_error"));
}

void TestMockServer::configFaultRateIsDeterministic() {
    MockConfig config = fastConfig();
    config.fault = QStringLiteral("503");
    config.faultRate = 0.5;
    config.seed = 42;
    QList<int> sequences[2];
    for (QList<int>& statuses : sequences) {
        MockServer server(config);
        QVERIFY(server.listen());
        for (int i = 0; i < 16; ++i)
            statuses.append(post(server, makeRequest("openai", "hi", false)).status);
    }
    QCOMPARE(sequences[0], sequences[1]);
    QVERIFY(sequences[0].contains(200));
    QVERIFY(sequences[0].contains(503));
}

void TestMockServer::statsEndpointCounts() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    QCOMPARE(post(server, makeRequest("openai", "a", true)).status, 200);
    QCOMPARE(post(server, makeRequest("openai", "b", false)).status, 200);
    QCOMPARE(post(server, makeRequest("anthropic", "c", true), {{"X-Mock-Fault", "529"}}).status, 529);
    QCOMPARE(post(server, makeRequest("ollama", "d", true)).status, 200);
    const NamResult result = send("GET", server.baseUrl() + "/mock/stats");
    QCOMPARE(result.status, 200);
    const QJsonObject stats = json(result.body);
    QCOMPARE(stats.value("total").toInt(), 4);
    QCOMPARE(stats.value("byProtocol").toObject().value("openai").toInt(), 2);
    QCOMPARE(stats.value("byProtocol").toObject().value("anthropic").toInt(), 1);
    QCOMPARE(stats.value("byPath").toObject().value("/v1/chat/completions").toInt(), 2);
    QCOMPARE(stats.value("byStatus").toObject().value("200").toInt(), 3);
    QCOMPARE(stats.value("byStatus").toObject().value("529").toInt(), 1);
    QCOMPARE(stats.value("byFault").toObject().value("529").toInt(), 1);
    QCOMPARE(stats.value("tokensStreamed").toInt(), 16); // two streamed answers of 8
    QCOMPARE(stats.value("connectionsDropped").toInt(), 0);
    server.resetStats();
    QCOMPARE(server.statsJson().value("total").toInt(), 0);
    QCOMPARE(server.requestCount(), 0);
}

void TestMockServer::receivedRequestsAndSignal() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    QSignalSpy spy(&server, &MockServer::requestReceived);
    const ProtocolRequest request = makeRequest("gemini", "remember me", true);
    QCOMPARE(post(server, request, {{"x-goog-api-key", "abc"}}).status, 200);
    QCOMPARE(spy.size(), 1);
    const auto fromSignal = spy.first().first().value<ReceivedRequest>();
    QCOMPARE(fromSignal.protocol, QStringLiteral("gemini"));
    QCOMPARE(fromSignal.method, QByteArray("POST"));
    QCOMPARE(fromSignal.path, QByteArray("/v1beta/models/gemini-2.0-flash:streamGenerateContent"));
    QVERIFY(fromSignal.target.endsWith("?alt=sse"));
    QCOMPARE(fromSignal.header("x-goog-api-key"), QByteArray("abc"));
    QCOMPARE(json(fromSignal.body), json(request.body));
    const QList<ReceivedRequest> received = server.receivedRequests();
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.first().body, fromSignal.body);
}

void TestMockServer::replayFileIsSentByteForByte() {
    QTemporaryFile file(QDir::tempPath() + "/parallax-mock-replay-XXXXXX.sse");
    QVERIFY(file.open());
    QByteArray recorded;
    for (int i = 0; i < 40; ++i)
        recorded += "data: {\"choices\":[{\"delta\":{\"content\":\"piece " + QByteArray::number(i) +
                    " \xc3\xa9\"}}]}\n\n";
    recorded += "data: [DONE]\n\n";
    file.write(recorded);
    file.close();
    MockConfig config = fastConfig();
    config.replayFile = file.fileName();
    MockServer server(config);
    QVERIFY(server.listen());
    RawClient client(server.port());
    client.send(rawRequest(makeRequest("anthropic", "anything", true)));
    const RawResponse response = client.next();
    QVERIFY(response.complete);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("content-type"), QByteArray("text/event-stream"));
    QCOMPARE(response.body, recorded);
}

void TestMockServer::unknownPathIs404Json() {
    MockServer server(fastConfig());
    QVERIFY(server.listen());
    const NamResult result = send("POST", server.baseUrl() + "/v2/nothing", "{}");
    QCOMPARE(result.status, 404);
    QVERIFY(json(result.body).value("error").toObject().value("message").toString().contains("/v2/nothing"));
    QCOMPARE(server.requestCount(), 0);
}

void TestMockServer::runsInAWorkerThread() {
    QThread thread;
    auto* server = new MockServer(fastConfig());
    server->moveToThread(&thread);
    thread.start();
    quint16 port = 0;
    QMetaObject::invokeMethod(
        server, [server, &port] { port = server->listen() ? server->port() : 0; },
        Qt::BlockingQueuedConnection);
    QVERIFY(port > 0);
    const ProtocolRequest request = makeRequest("anthropic", "threaded", true);
    const NamResult result = send("POST", QStringLiteral("http://127.0.0.1:%1/v1/messages").arg(port),
                                  request.body, request.headers);
    QCOMPARE(result.status, 200);
    QCOMPARE(streamedTokens("anthropic", result.body).size(), 8);
    QMetaObject::invokeMethod(
        server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    thread.quit();
    QVERIFY(thread.wait(kTimeoutMs));
}

void TestMockServer::executablePrintsPortAndExitsCleanly() {
    QProcess process;
    process.start(QStringLiteral(PARALLAX_MOCK_PATH), {"--port", "0", "--quiet", "--tokens", "4"});
    QVERIFY(process.waitForStarted(kTimeoutMs));
    QByteArray output;
    QVERIFY(QTest::qWaitFor(
        [&] {
            output += process.readAllStandardOutput();
            return output.contains('\n') || process.state() == QProcess::NotRunning;
        },
        kTimeoutMs));
    const QRegularExpressionMatch match =
        QRegularExpression("^parallax-mock listening on http://127\\.0\\.0\\.1:(\\d+)\\n$")
            .match(QString::fromUtf8(output));
    QVERIFY2(match.hasMatch(), output.constData());
    const QString base = QStringLiteral("http://127.0.0.1:") + match.captured(1);
    const NamResult result = send("POST", base + "/api/chat", makeRequest("ollama", "hi", false).body);
    QCOMPARE(result.status, 200);
    QCOMPARE(json(result.body).value("eval_count").toInt(), 4);
    process.terminate();
    QVERIFY(process.waitForFinished(kTimeoutMs));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
}

void TestMockServer::executableRequiresKeyFromEnvironmentAndNeverLogsIt() {
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("PARALLAX_MOCK_TEST_KEY", "sk-secret-4711");
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(PARALLAX_MOCK_PATH), {"--api-key-env", "PARALLAX_MOCK_TEST_KEY"});
    QVERIFY(process.waitForStarted(kTimeoutMs));
    QByteArray output;
    QVERIFY(QTest::qWaitFor(
        [&] {
            output += process.readAllStandardOutput();
            return output.contains('\n') || process.state() == QProcess::NotRunning;
        },
        kTimeoutMs));
    const QString base = QString::fromUtf8(output.trimmed().split(' ').last());
    const ProtocolRequest gemini = makeRequest("gemini", "hi", false);
    QCOMPARE(send("POST", base + gemini.path + "?key=sk-secret-4711", gemini.body).status, 200);
    const NamResult wrong =
        send("POST", base + "/v1/chat/completions", makeRequest("openai", "hi", false).body,
             {{"Authorization", "Bearer sk-wrong-0815"}});
    QCOMPARE(wrong.status, 401);
    process.terminate();
    QVERIFY(process.waitForFinished(kTimeoutMs));
    QCOMPARE(process.exitCode(), 0);
    const QByteArray log = process.readAllStandardError();
    QVERIFY2(log.contains("generateContent"), log.constData()); // requests are logged...
    QVERIFY(!log.contains("sk-secret-4711"));                   // ...keys are not
    QVERIFY(!log.contains("sk-wrong-0815"));
    QVERIFY(!wrong.body.contains("sk-wrong-0815"));
}

void TestMockServer::executableRejectsBadOptions_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("port") << QStringList{"--port", "http"};
    QTest::newRow("non-loopback host") << QStringList{"--host", "0.0.0.0"};
    QTest::newRow("fault") << QStringList{"--fault", "explode"};
    QTest::newRow("fault rate") << QStringList{"--fault-rate", "2"};
    QTest::newRow("tps") << QStringList{"--tps", "fast"};
    QTest::newRow("missing key variable")
        << QStringList{"--api-key-env", "PARALLAX_MOCK_TEST_UNSET_VARIABLE"};
    QTest::newRow("replay file") << QStringList{"--replay", "/nonexistent/parallax.sse"};
    QTest::newRow("unknown option") << QStringList{"--colour"};
}

void TestMockServer::executableRejectsBadOptions() {
    QFETCH(QStringList, arguments);
    QProcess process;
    process.start(QStringLiteral(PARALLAX_MOCK_PATH), arguments);
    QVERIFY(process.waitForFinished(kTimeoutMs));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    const QByteArray error = process.readAllStandardError();
    QVERIFY(error.startsWith("parallax-mock: "));
    QCOMPARE(error.count('\n'), 1);
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

QTEST_GUILESS_MAIN(TestMockServer)
#include "TestMockServer.moc"
