#include "MockServer.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

#include "AnswerGenerator.h"
#include "AnthropicBatchApi.h"
#include "AnthropicProtocol.h"
#include "GeminiProtocol.h"
#include "GenerationStream.h"
#include "HttpConnection.h"
#include "MockLogging.h"
#include "MockOverrides.h"
#include "ModelListApi.h"
#include "OllamaProtocol.h"
#include "OpenAiBatchApi.h"
#include "OpenAiProtocol.h"
#include "ReplayStream.h"

namespace parallax::mock {

namespace {
constexpr qsizetype kMaxReceived = 1000;

template <typename T>
T pick(const std::optional<T>& header, const std::optional<T>& prompt, T fallback) {
    return header ? *header : (prompt ? *prompt : fallback);
}

QString faultMessage(int status, int retryAfterSeconds) {
    switch (status) {
    case 429:
        return QStringLiteral("Rate limit reached for requests (parallax-mock). Please try again in %1s.")
            .arg(retryAfterSeconds);
    case 401:
        return QStringLiteral("Incorrect API key provided (parallax-mock fault).");
    case 400:
        return QStringLiteral("Invalid request (parallax-mock fault).");
    case 503:
        return QStringLiteral("The service is temporarily unavailable (parallax-mock fault).");
    case 529:
        return QStringLiteral("Overloaded (parallax-mock fault).");
    default:
        return QStringLiteral("The server had an error while processing your request (parallax-mock fault).");
    }
}

HeaderList retryHeaders(qint64 retryAfterMs) {
    const qint64 seconds = qMax<qint64>(0, (retryAfterMs + 999) / 1000);
    return {{"retry-after", QByteArray::number(seconds)},
            {"retry-after-ms", QByteArray::number(retryAfterMs)}};
}
} // namespace

MockServer::MockServer(MockConfig config, QObject* parent)
    : QObject(parent)
    , m_server(this)
    , m_scheduler(this)
    , m_faultRandom(config.seed)
    , m_openAi(std::make_unique<OpenAiProtocol>())
    , m_anthropic(std::make_unique<AnthropicProtocol>())
    , m_gemini(std::make_unique<GeminiProtocol>())
    , m_ollama(std::make_unique<OllamaProtocol>())
    , m_openAiBatches(std::make_unique<OpenAiBatchApi>(*m_openAi))
    , m_anthropicBatches(std::make_unique<AnthropicBatchApi>(*m_anthropic))
    , m_modelLists(std::make_unique<ModelListApi>(*m_openAi, *m_anthropic, *m_gemini)) {
    setConfig(config);
    connect(&m_server, &QTcpServer::newConnection, this, &MockServer::onNewConnection);
}

MockServer::~MockServer() {
    m_server.close();
    // Connections (and their streams) go first: they refer to the statistics and protocols.
    qDeleteAll(findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly));
}

bool MockServer::listen(const QHostAddress& address, quint16 port) {
    if (!m_server.listen(address, port)) {
        qCWarning(lcMock) << "cannot listen on" << address.toString() << port << m_server.errorString();
        return false;
    }
    return true;
}

void MockServer::close() {
    m_server.close();
    for (HttpConnection* connection : findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly))
        connection->deleteLater();
}

quint16 MockServer::port() const {
    return m_server.serverPort();
}

QString MockServer::baseUrl() const {
    QHostAddress address = m_server.serverAddress();
    QString host = address.toString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return QStringLiteral("http://%1:%2").arg(host).arg(port());
}

QString MockServer::errorString() const {
    return m_server.errorString();
}

void MockServer::setConfig(const MockConfig& config) {
    if (config.seed != m_config.seed)
        m_faultRandom = DeterministicRandom(config.seed);
    m_config = config;
    m_configFault = parseFault(config.fault);
    if (!m_configFault)
        qCWarning(lcMock) << "unknown fault name in config:" << config.fault;
    m_limiter.setLimits(config.requestsPerMinute, config.tokensPerMinute);
}

const MockConfig& MockServer::config() const {
    return m_config;
}

int MockServer::requestCount() const {
    return m_requestCount;
}

QList<ReceivedRequest> MockServer::receivedRequests() const {
    return m_received;
}

int MockServer::openAiBatchesCreated() const {
    return m_openAiBatches->batchesCreated();
}

int MockServer::anthropicBatchesCreated() const {
    return m_anthropicBatches->batchesCreated();
}

QJsonObject MockServer::statsJson() const {
    QJsonObject stats = m_stats.toJson();
    stats.insert(QStringLiteral("activeStreams"), m_scheduler.activeCount());
    stats.insert(QStringLiteral("batchesCreated"),
                 QJsonObject{{QStringLiteral("openai"), m_openAiBatches->batchesCreated()},
                             {QStringLiteral("anthropic"), m_anthropicBatches->batchesCreated()}});
    return stats;
}

void MockServer::resetStats() {
    m_stats.reset();
    m_received.clear();
    m_requestCount = 0;
    m_limiter.reset();
}

void MockServer::onNewConnection() {
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        m_stats.recordConnection();
        auto* connection = new HttpConnection(socket, this);
        connect(connection, &HttpConnection::requestReady, this,
                [this, connection](const HttpRequest& request) { handleRequest(connection, request); });
        connect(connection, &HttpConnection::responseStarted, this,
                [this](int status, const QByteArray& path) {
                    if (!path.startsWith("/mock/"))
                        m_stats.recordStatus(status);
                });
        connect(connection, &HttpConnection::clientAborted, this, [this] { m_stats.recordClientAbort(); });
        connect(connection, &HttpConnection::closed, connection, &QObject::deleteLater);
    }
}

const ProviderProtocol* MockServer::protocolFor(const HttpRequest& request) const {
    if (request.method != "POST")
        return nullptr;
    const QByteArray& path = request.path;
    if (path == "/v1/chat/completions" || path == "/chat/completions")
        return m_openAi.get();
    if (path == "/v1/messages")
        return m_anthropic.get();
    if (path == "/api/chat" || path == "/api/generate")
        return m_ollama.get();
    if (GeminiProtocol::ownsPath(path) && GeminiProtocol::method(path) != GeminiProtocol::Method::Unknown)
        return m_gemini.get();
    return nullptr;
}

Fault MockServer::configuredFault() {
    if (!m_configFault || *m_configFault == Fault::None)
        return Fault::None;
    const double rate = m_config.faultRate;
    if (rate <= 0.0 || rate >= 1.0)
        return *m_configFault;
    return m_faultRandom.unit() < rate ? *m_configFault : Fault::None;
}

void MockServer::sendJson(HttpConnection* connection, int status, const QByteArray& body,
                          const QByteArray& contentType) {
    connection->sendResponse(status, {{"Content-Type", contentType}}, body);
}

void MockServer::handleRequest(HttpConnection* connection, const HttpRequest& request) {
    if (request.path == "/mock/stats" && request.method == "GET") {
        sendJson(connection, 200, QJsonDocument(statsJson()).toJson(QJsonDocument::Compact));
        return;
    }
    if (request.path == "/mock/reset" && request.method == "POST") {
        resetStats();
        sendJson(connection, 200, "{}");
        return;
    }
    m_stats.recordPath(request.path);
    const ProviderProtocol* protocol = protocolFor(request);
    const ReceivedRequest received{request.method,  request.path, request.target,
                                   request.headers, request.body, protocol ? protocol->name() : QString()};
    m_received.append(received);
    if (m_received.size() > kMaxReceived)
        m_received.removeFirst();
    if (protocol)
        ++m_requestCount;
    emit requestReceived(received);
    if (protocol)
        handleGeneration(connection, request, *protocol);
    else if (OpenAiBatchApi::ownsPath(request.path) || AnthropicBatchApi::ownsPath(request.path))
        handleBatch(connection, request);
    else
        handleOther(connection, request);
}

void MockServer::handleBatch(HttpConnection* connection, const HttpRequest& request) {
    const MockReply reply = AnthropicBatchApi::ownsPath(request.path)
                                ? m_anthropicBatches->handle(request, m_config)
                                : m_openAiBatches->handle(request, m_config);
    qCInfo(lcMock).noquote() << request.method << request.path << "->" << reply.status;
    HeaderList headers{{"Content-Type", reply.contentType}};
    headers += reply.headers;
    connection->sendResponse(reply.status, headers, reply.body);
}

void MockServer::handleGeneration(HttpConnection* connection, const HttpRequest& request,
                                  const ProviderProtocol& protocol) {
    m_stats.recordGeneration(protocol.name());
    const quint64 sequence = ++m_sequence;
    DeterministicRandom ids(m_config.seed ^ (sequence * 0x9E3779B97F4A7C15ULL));
    ResponseContext context;
    context.clock.start();
    context.requestId =
        QStringLiteral("req_") + QString::number(ids.next(), 16).rightJustified(16, QLatin1Char('0'));
    context.responseId = protocol.newResponseId(ids.next());
    context.created = QDateTime::currentSecsSinceEpoch();
    const HeaderList identity = protocol.identityHeaders(context);
    int retryAfter = m_config.retryAfterSeconds;

    // Logs name the path only: a Gemini query can carry ?key=.
    const auto fail = [&](int status, const QString& message, const HeaderList& extra = {}) {
        qCInfo(lcMock).noquote() << request.method << request.path << "->" << status << message;
        const ErrorResponse error = protocol.error(status, message, retryAfter);
        HeaderList headers{{"Content-Type", error.contentType}};
        headers += identity;
        headers += extra;
        connection->sendResponse(error.status, headers, error.body);
    };

    if (!m_config.requiredApiKey.isEmpty() && protocol.checksAuth()) {
        // The key itself is never logged or echoed.
        const QByteArray key = protocol.presentedKey(request);
        if (key != m_config.requiredApiKey.toUtf8()) {
            fail(401, key.isEmpty() ? QStringLiteral("No API key provided (parallax-mock).")
                                    : QStringLiteral("Incorrect API key provided (parallax-mock)."));
            return;
        }
    }
    if (const auto problem = protocol.checkHeaders(request)) {
        fail(400, *problem);
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        fail(400,
             QStringLiteral("We could not parse the JSON body of your request: %1")
                 .arg(parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                   : QStringLiteral("not a JSON object")));
        return;
    }
    GenerationRequest generation;
    if (const auto problem = protocol.parse(document.object(), request, generation)) {
        fail(400, *problem);
        return;
    }

    MockOverrides fromPrompt;
    std::optional<QString> problem = fromPrompt.consumeDirectives(generation.system);
    for (QString& text : generation.messageTexts) {
        const auto textProblem = fromPrompt.consumeDirectives(text);
        if (textProblem && !problem)
            problem = textProblem;
    }
    MockOverrides ignored; // lastUser repeats a message: strip it, its settings are already read
    ignored.consumeDirectives(generation.lastUser);
    MockOverrides fromHeaders;
    if (!problem)
        problem = fromHeaders.readHeaders(request);
    if (problem) {
        fail(400, *problem);
        return;
    }
    retryAfter =
        pick(fromHeaders.retryAfterSeconds, fromPrompt.retryAfterSeconds, m_config.retryAfterSeconds);
    const int ttftMs = qMax(0, pick(fromHeaders.ttftMs, fromPrompt.ttftMs, m_config.ttftMs));
    const double tokensPerSecond =
        pick(fromHeaders.tokensPerSecond, fromPrompt.tokensPerSecond, m_config.tokensPerSecond);
    const int answerTokens = qMax(0, pick(fromHeaders.tokens, fromPrompt.tokens, m_config.answerTokens));
    const Fault fault = fromHeaders.fault  ? *fromHeaders.fault
                        : fromPrompt.fault ? *fromPrompt.fault
                                           : configuredFault();
    if (fault != Fault::None)
        m_stats.recordFault(fault);

    if (const int status = faultStatus(fault)) {
        HeaderList extra;
        if (status == 429) {
            extra = retryHeaders(static_cast<qint64>(retryAfter) * 1000);
            RateLimitState exhausted = m_limiter.state(m_scheduler.nowMs());
            exhausted.requestLimit = qMax(exhausted.requestLimit, 60);
            exhausted.requestRemaining = 0;
            exhausted.requestResetMs = static_cast<qint64>(retryAfter) * 1000;
            extra += protocol.rateLimitHeaders(exhausted);
        }
        fail(status, faultMessage(status, retryAfter), extra);
        return;
    }

    if (fromHeaders.echo.value_or(fromPrompt.echo.value_or(false))) {
        static const QRegularExpression whitespace(QStringLiteral("\\s+"));
        context.words = generation.lastUser.split(whitespace, Qt::SkipEmptyParts);
    } else {
        context.words = AnswerGenerator::words(generation, answerTokens);
    }
    if (generation.maxTokens && *generation.maxTokens < context.words.size()) {
        context.words = context.words.mid(0, qMax(0, *generation.maxTokens));
        context.finish = FinishReason::Length;
    }
    context.promptTokens = AnswerGenerator::promptTokens(generation);

    HeaderList headers = identity;
    if (m_limiter.enabled()) {
        const auto decision = m_limiter.admit(m_scheduler.nowMs(),
                                              context.promptTokens + static_cast<int>(context.words.size()));
        headers += protocol.rateLimitHeaders(decision.state);
        if (!decision.allowed) {
            m_stats.recordRateLimited();
            retryAfter = static_cast<int>(qMax<qint64>(1, (decision.retryAfterMs + 999) / 1000));
            fail(429, faultMessage(429, retryAfter),
                 retryHeaders(decision.retryAfterMs) + protocol.rateLimitHeaders(decision.state));
            return;
        }
    }

    qCInfo(lcMock).noquote() << request.method << request.path << protocol.name() << "model"
                             << generation.model << (generation.stream ? "stream" : "whole") << "tokens"
                             << context.words.size() << "fault" << faultName(fault);

    if (!m_config.replayFile.isEmpty()) {
        QFile file(m_config.replayFile);
        if (!file.open(QIODevice::ReadOnly)) {
            fail(500,
                 QStringLiteral("parallax-mock cannot read the replay file: %1").arg(file.errorString()));
            return;
        }
        auto* replay =
            new ReplayStream(connection, file.readAll(), ReplayStream::contentTypeFor(file.fileName()),
                             headers, ttftMs, m_config.seed ^ sequence);
        m_scheduler.schedule(replay, replay->start(m_scheduler.nowMs()));
        return;
    }

    context.request = std::move(generation);
    auto* stream = new GenerationStream(connection, protocol, std::move(context),
                                        {ttftMs, tokensPerSecond, fault}, headers, m_stats);
    m_scheduler.schedule(stream, stream->start(m_scheduler.nowMs()));
}

void MockServer::handleOther(HttpConnection* connection, const HttpRequest& request) {
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (ModelListApi::ownsRequest(request)) {
        const MockReply reply = m_modelLists->handle(request, m_config);
        qCInfo(lcMock).noquote() << request.method << request.path << "->" << reply.status;
        connection->sendResponse(reply.status, {{"Content-Type", reply.contentType}}, reply.body);
        return;
    }
    if (get && request.path == "/api/version") {
        sendJson(connection, 200, R"({"version":"0.12.0"})", "application/json; charset=utf-8");
        return;
    }
    if (get && request.path == "/") {
        sendJson(connection, 200, "Ollama is running", "text/plain; charset=utf-8");
        return;
    }
    ErrorResponse error;
    if (GeminiProtocol::ownsPath(request.path)) {
        QString model;
        GeminiProtocol::method(request.path, &model);
        if (model.isEmpty())
            model = QString::fromUtf8(request.path.mid(request.path.lastIndexOf('/') + 1));
        error = m_gemini->error(
            404,
            QStringLiteral("models/%1 is not found for API version v1beta, or is not supported "
                           "for this method. Call ListModels to see the list of available "
                           "models and their supported methods.")
                .arg(model),
            0);
    } else if (request.path.startsWith("/api/")) {
        error = m_ollama->error(404, QStringLiteral("404 page not found"), 0);
    } else {
        error =
            m_openAi->error(404,
                            QStringLiteral("Unknown request URL: %1 %2. Please check the URL for typos "
                                           "(parallax-mock serves /v1/chat/completions, /v1/messages, "
                                           "/v1beta/models/{model}:streamGenerateContent, /api/chat, "
                                           "/api/generate, the model lists /v1/models, /v1beta/models and "
                                           "/api/tags, and /mock/stats).")
                                .arg(QString::fromUtf8(request.method), QString::fromUtf8(request.path)),
                            0);
    }
    qCInfo(lcMock).noquote() << request.method << request.path << "-> 404";
    sendJson(connection, error.status, error.body, error.contentType);
}

} // namespace parallax::mock
