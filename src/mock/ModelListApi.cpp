#include "ModelListApi.h"

#include <algorithm>
#include <array>
#include <optional>

#include "AnthropicProtocol.h"
#include "GeminiProtocol.h"
#include "JsonWriter.h"
#include "OllamaProtocol.h"
#include "OpenAiProtocol.h"

namespace parallax::mock {

namespace {

struct AnthropicModel {
    const char* id;
    const char* displayName;
    const char* createdAt;
};

// Newest first, as Anthropic lists them.
constexpr std::array<AnthropicModel, 4> kAnthropicModels{{
    {"claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z"},
    {"claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z"},
    {"claude-mock", "Claude Mock (parallax-mock)", "2025-01-01T00:00:00Z"},
    {"claude-haiku-4-5", "Claude Haiku 4.5", "2024-10-22T00:00:00Z"},
}};

struct GeminiModel {
    const char* name;
    const char* displayName;
    bool generates; ///< false: an embedding model, listed with embedContent only
};

constexpr std::array<GeminiModel, 5> kGeminiModels{{
    {"models/gemini-2.5-flash", "Gemini 2.5 Flash", true},
    {"models/gemini-2.5-pro", "Gemini 2.5 Pro", true},
    {"models/gemini-embedding-001", "Gemini Embedding 001", false},
    {"models/gemini-mock", "Gemini Mock (parallax-mock)", true},
    {"models/gemini-2.0-flash", "Gemini 2.0 Flash", true},
}};

constexpr std::array<const char*, 5> kOpenAiModels{
    {"gpt-mock", "gpt-4o-mini", "gpt-4.1", "mock-large", "mock-small"}};

bool isAnthropic(const HttpRequest& request) {
    return request.hasHeader("anthropic-version") || request.hasHeader("x-api-key");
}

// Gemini's page tokens are opaque; these carry the offset of the next entry.
QString pageToken(qsizetype offset) {
    return QString::fromLatin1(
        QByteArray("offset:" + QByteArray::number(offset)).toBase64(QByteArray::Base64UrlEncoding));
}

std::optional<qsizetype> offsetOf(const QString& token) {
    const QByteArray decoded = QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding);
    if (!decoded.startsWith("offset:"))
        return std::nullopt;
    bool ok = false;
    const qsizetype offset = decoded.mid(7).toLongLong(&ok);
    return ok && offset >= 0 ? std::optional(offset) : std::nullopt;
}

MockReply fromError(const ErrorResponse& error) {
    return {error.status, error.body, error.contentType, {}};
}

} // namespace

ModelListApi::ModelListApi(const OpenAiProtocol& openAi, const AnthropicProtocol& anthropic,
                           const GeminiProtocol& gemini)
    : m_openAi(openAi)
    , m_anthropic(anthropic)
    , m_gemini(gemini) {}

bool ModelListApi::ownsRequest(const HttpRequest& request) {
    if (request.method != "GET" && request.method != "HEAD")
        return false;
    return request.path == "/v1/models" || request.path == "/models" || request.path == "/v1beta/models" ||
           request.path == "/api/tags";
}

MockReply ModelListApi::unauthorized(const ProviderProtocol& protocol, const QString& message) const {
    return fromError(protocol.error(401, message, 0));
}

MockReply ModelListApi::handle(const HttpRequest& request, const MockConfig& config) const {
    const QByteArray required = config.requiredApiKey.toUtf8();
    if (request.path == "/api/tags") // local Ollama has no auth
        return {200, OllamaProtocol::tagsBody(), "application/json; charset=utf-8", {}};
    if (request.path == "/v1beta/models") {
        const QByteArray key = m_gemini.presentedKey(request);
        if (!required.isEmpty() && key != required)
            return unauthorized(
                m_gemini, key.isEmpty() ? QStringLiteral("Method doesn't allow unregistered callers "
                                                         "(callers without established identity). "
                                                         "Please use API Key or other form of API "
                                                         "consumer identity to call this API.")
                                        : QStringLiteral("API key not valid. Please pass a valid API key."));
        return geminiModels(request);
    }
    if (isAnthropic(request)) {
        const QByteArray key = m_anthropic.presentedKey(request);
        if (!required.isEmpty() && key != required)
            return unauthorized(m_anthropic, key.isEmpty() ? QStringLiteral("x-api-key header is required")
                                                           : QStringLiteral("invalid x-api-key"));
        if (const auto problem = m_anthropic.checkHeaders(request))
            return fromError(m_anthropic.error(400, *problem, 0));
        return anthropicModels(request);
    }
    const QByteArray key = m_openAi.presentedKey(request);
    if (!required.isEmpty() && key != required)
        return unauthorized(
            m_openAi, key.isEmpty()
                          ? QStringLiteral("You didn't provide an API key. You need to provide your API "
                                           "key in an Authorization header using Bearer auth "
                                           "(i.e. Authorization: Bearer YOUR_KEY).")
                          : QStringLiteral("Incorrect API key provided. You can find your API key at "
                                           "https://platform.openai.com/account/api-keys."));
    return openAiModels();
}

MockReply ModelListApi::openAiModels() const {
    JsonWriter json;
    json.beginObject().key("object").str(QStringLiteral("list")).key("data").beginArray();
    for (const char* id : kOpenAiModels) {
        json.beginObject().key("id").str(QString::fromLatin1(id)).key("object").str(QStringLiteral("model"));
        json.key("created")
            .num(1'700'000'000)
            .key("owned_by")
            .str(QStringLiteral("parallax-mock"))
            .endObject();
    }
    json.endArray().endObject();
    return {200, json.data(), "application/json", {}};
}

MockReply ModelListApi::anthropicModels(const HttpRequest& request) const {
    int limit = 20;
    if (request.query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        limit = request.query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > 1000)
            return fromError(
                m_anthropic.error(400, QStringLiteral("limit: Input should be between 1 and 1000"), 0));
    }
    qsizetype start = 0;
    if (const QString after = request.query.queryItemValue(QStringLiteral("after_id")); !after.isEmpty()) {
        start = -1;
        for (qsizetype i = 0; i < qsizetype(kAnthropicModels.size()); ++i) {
            if (QLatin1String(kAnthropicModels[size_t(i)].id) == after)
                start = i + 1;
        }
        if (start < 0)
            return fromError(
                m_anthropic.error(400, QStringLiteral("after_id: no such model: %1").arg(after), 0));
    }
    const qsizetype end = std::min<qsizetype>(start + limit, qsizetype(kAnthropicModels.size()));
    JsonWriter json;
    json.beginObject().key("data").beginArray();
    for (qsizetype i = start; i < end; ++i) {
        const AnthropicModel& model = kAnthropicModels[size_t(i)];
        json.beginObject()
            .key("type")
            .str(QStringLiteral("model"))
            .key("id")
            .str(QString::fromLatin1(model.id));
        json.key("display_name").str(QString::fromUtf8(model.displayName));
        json.key("created_at").str(QString::fromLatin1(model.createdAt)).endObject();
    }
    json.endArray().key("has_more").boolean(end < qsizetype(kAnthropicModels.size()));
    json.key("first_id");
    if (end > start)
        json.str(QString::fromLatin1(kAnthropicModels[size_t(start)].id));
    else
        json.null();
    json.key("last_id");
    if (end > start)
        json.str(QString::fromLatin1(kAnthropicModels[size_t(end - 1)].id));
    else
        json.null();
    json.endObject();
    return {200, json.data(), "application/json", {}};
}

MockReply ModelListApi::geminiModels(const HttpRequest& request) const {
    int pageSize = 50;
    if (request.query.hasQueryItem(QStringLiteral("pageSize"))) {
        bool ok = false;
        pageSize = request.query.queryItemValue(QStringLiteral("pageSize")).toInt(&ok);
        if (!ok || pageSize < 0)
            return fromError(m_gemini.error(400, QStringLiteral("Invalid value at 'page_size'"), 0));
        pageSize = pageSize == 0 ? 50 : std::min(pageSize, 1000);
    }
    qsizetype start = 0;
    if (const QString token = request.query.queryItemValue(QStringLiteral("pageToken")); !token.isEmpty()) {
        const std::optional<qsizetype> offset = offsetOf(token);
        if (!offset)
            return fromError(m_gemini.error(400, QStringLiteral("Invalid page token."), 0));
        start = std::min<qsizetype>(*offset, qsizetype(kGeminiModels.size()));
    }
    const qsizetype end = std::min<qsizetype>(start + pageSize, qsizetype(kGeminiModels.size()));
    JsonWriter json(JsonWriter::Spacing::SpaceAfterColon);
    json.beginObject().key("models").beginArray();
    for (qsizetype i = start; i < end; ++i) {
        const GeminiModel& model = kGeminiModels[size_t(i)];
        json.beginObject()
            .key("name")
            .str(QString::fromLatin1(model.name))
            .key("version")
            .str(QStringLiteral("001"));
        json.key("displayName").str(QString::fromUtf8(model.displayName));
        json.key("description").str(QStringLiteral("A model served by parallax-mock."));
        json.key("inputTokenLimit").num(model.generates ? 1'048'576 : 2048);
        json.key("outputTokenLimit").num(model.generates ? 65'536 : 1);
        json.key("supportedGenerationMethods").beginArray();
        if (model.generates) {
            for (const char* method :
                 {"generateContent", "countTokens", "createCachedContent", "batchGenerateContent"})
                json.str(QString::fromLatin1(method));
        } else {
            for (const char* method : {"embedContent", "countTextTokens", "countTokens"})
                json.str(QString::fromLatin1(method));
        }
        json.endArray();
        if (model.generates)
            json.key("temperature")
                .num(1)
                .key("topP")
                .raw("0.95")
                .key("topK")
                .num(64)
                .key("maxTemperature")
                .num(2);
        json.endObject();
    }
    json.endArray();
    if (end < qsizetype(kGeminiModels.size()))
        json.key("nextPageToken").str(pageToken(end));
    json.endObject();
    return {200, json.data() + '\n', "application/json; charset=UTF-8", {}};
}

} // namespace parallax::mock
