#include "AnthropicProtocol.h"

#include <QDateTime>
#include <QJsonArray>

#include "JsonWriter.h"

namespace parallax::mock {

namespace {
QByteArray event(const char* name, const QByteArray& json) {
    return QByteArray("event: ") + name + "\ndata: " + json + "\n\n";
}

QByteArray rfc3339In(qint64 ms) {
    return QDateTime::currentDateTimeUtc().addMSecs(ms).toString(Qt::ISODate).toLatin1();
}

QString base62(quint64 random, int length) {
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id;
    for (int i = 0; i < length; ++i) {
        id += QLatin1Char(kAlphabet[random % 62]);
        random = random / 62 + static_cast<quint64>(i + 7) * 0x9E3779B97F4A7C15ULL;
    }
    return id;
}

const char* stopReason(const ResponseContext& context) {
    return context.finish == FinishReason::Length ? "max_tokens" : "end_turn";
}
} // namespace

QByteArray AnthropicProtocol::presentedKey(const HttpRequest& request) const {
    const QByteArray key = request.header("x-api-key");
    if (!key.isEmpty())
        return key;
    // OAuth tokens come as a bearer token instead.
    const QByteArray authorization = request.header("authorization");
    if (authorization.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return authorization.mid(7).trimmed();
    return {};
}

std::optional<QString> AnthropicProtocol::checkHeaders(const HttpRequest& request) const {
    if (request.header("anthropic-version").isEmpty())
        return QStringLiteral("anthropic-version: header is required");
    return std::nullopt;
}

std::optional<QString> AnthropicProtocol::parse(const QJsonObject& body, const HttpRequest& /*request*/,
                                                GenerationRequest& out) const {
    if (!body.value(QLatin1String("model")).isString())
        return QStringLiteral("model: Field required");
    if (!body.value(QLatin1String("max_tokens")).isDouble())
        return QStringLiteral("max_tokens: Field required");
    const QJsonValue messages = body.value(QLatin1String("messages"));
    if (!messages.isArray() || messages.toArray().isEmpty())
        return QStringLiteral("messages: Field required");
    out.model = body.value(QLatin1String("model")).toString();
    out.maxTokens = body.value(QLatin1String("max_tokens")).toInt();
    if (*out.maxTokens < 1)
        return QStringLiteral("max_tokens: Input should be greater than or equal to 1");
    out.system = textOf(body.value(QLatin1String("system")));
    for (const QJsonValue& value : messages.toArray()) {
        const QJsonObject message = value.toObject();
        const QString role = message.value(QLatin1String("role")).toString();
        if (role == QLatin1String("system"))
            return QStringLiteral(
                "messages: Unexpected role \"system\". The Messages API accepts a top-level "
                "`system` parameter, not \"system\" as an input message role.");
        const QString text = textOf(message.value(QLatin1String("content")));
        out.messageTexts.append(text);
        if (role == QLatin1String("user"))
            out.lastUser = text;
    }
    out.stream = body.value(QLatin1String("stream")).toBool();
    return std::nullopt;
}

ErrorResponse AnthropicProtocol::error(int status, const QString& message, int /*retryAfterSeconds*/) const {
    const char* type = "api_error";
    switch (status) {
    case 400:
        type = "invalid_request_error";
        break;
    case 401:
        type = "authentication_error";
        break;
    case 403:
        type = "permission_error";
        break;
    case 404:
        type = "not_found_error";
        break;
    case 413:
        type = "request_too_large";
        break;
    case 429:
        type = "rate_limit_error";
        break;
    case 504:
        type = "timeout_error";
        break;
    case 503:
    case 529:
        type = "overloaded_error";
        break;
    default:
        break;
    }
    JsonWriter json;
    json.beginObject().key("type").str(QStringLiteral("error"));
    json.key("error").beginObject().key("type").str(QString::fromLatin1(type)).key("message").str(message);
    json.endObject().key("request_id").str(QStringLiteral("req_parallax_mock"));
    json.endObject();
    return {status, json.data(), "application/json"};
}

HeaderList AnthropicProtocol::identityHeaders(const ResponseContext& context) const {
    return {{"request-id", context.requestId.toUtf8()}, {"anthropic-organization-id", "parallax-mock"}};
}

HeaderList AnthropicProtocol::rateLimitHeaders(const RateLimitState& state) const {
    HeaderList headers;
    if (state.requestLimit > 0) {
        headers.append({"anthropic-ratelimit-requests-limit", QByteArray::number(state.requestLimit)});
        headers.append(
            {"anthropic-ratelimit-requests-remaining", QByteArray::number(state.requestRemaining)});
        headers.append({"anthropic-ratelimit-requests-reset", rfc3339In(state.requestResetMs)});
    }
    if (state.tokenLimit > 0) {
        headers.append({"anthropic-ratelimit-tokens-limit", QByteArray::number(state.tokenLimit)});
        headers.append({"anthropic-ratelimit-tokens-remaining", QByteArray::number(state.tokenRemaining)});
        headers.append({"anthropic-ratelimit-tokens-reset", rfc3339In(state.tokenResetMs)});
    }
    return headers;
}

QString AnthropicProtocol::newResponseId(quint64 random) const {
    return QStringLiteral("msg_") + base62(random, 24);
}

QByteArray AnthropicProtocol::streamStart(ResponseContext& context) const {
    JsonWriter start;
    start.beginObject().key("type").str(QStringLiteral("message_start")).key("message").beginObject();
    start.key("id").str(context.responseId).key("type").str(QStringLiteral("message"));
    start.key("role").str(QStringLiteral("assistant")).key("content").beginArray().endArray();
    start.key("model").str(context.request.model).key("stop_reason").null().key("stop_sequence").null();
    start.key("usage").beginObject().key("input_tokens").num(context.promptTokens);
    start.key("output_tokens").num(1).endObject();
    start.endObject().endObject();
    return event("message_start", start.data()) +
           event("content_block_start",
                 R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})") +
           event("ping", R"({"type": "ping"})");
}

QByteArray AnthropicProtocol::streamToken(ResponseContext& context, int index, bool /*last*/) const {
    JsonWriter json;
    json.beginObject().key("type").str(QStringLiteral("content_block_delta")).key("index").num(0);
    json.key("delta").beginObject().key("type").str(QStringLiteral("text_delta"));
    json.key("text").str(context.tokenText(index)).endObject().endObject();
    return event("content_block_delta", json.data());
}

QByteArray AnthropicProtocol::streamFinish(ResponseContext& context) const {
    JsonWriter delta;
    delta.beginObject().key("type").str(QStringLiteral("message_delta"));
    delta.key("delta").beginObject().key("stop_reason").str(QString::fromLatin1(stopReason(context)));
    delta.key("stop_sequence").null().endObject();
    delta.key("usage").beginObject().key("output_tokens").num(context.sentTokens).endObject().endObject();
    return event("content_block_stop", R"({"type":"content_block_stop","index":0})") +
           event("message_delta", delta.data()) + event("message_stop", R"({"type":"message_stop"})");
}

QByteArray AnthropicProtocol::streamError(ResponseContext& /*context*/) const {
    return event("error", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
}

QByteArray AnthropicProtocol::streamMalformed(ResponseContext& /*context*/) const {
    return "event: content_block_delta\ndata: "
           "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
           "\"oops\n\n";
}

QByteArray AnthropicProtocol::fullBody(ResponseContext& context) const {
    JsonWriter json;
    json.beginObject();
    json.key("id").str(context.responseId).key("type").str(QStringLiteral("message"));
    json.key("role").str(QStringLiteral("assistant")).key("model").str(context.request.model);
    json.key("content").beginArray().beginObject().key("type").str(QStringLiteral("text"));
    json.key("text").str(context.fullText()).endObject().endArray();
    json.key("stop_reason").str(QString::fromLatin1(stopReason(context))).key("stop_sequence").null();
    json.key("usage").beginObject().key("input_tokens").num(context.promptTokens);
    json.key("cache_creation_input_tokens").num(0).key("cache_read_input_tokens").num(0);
    json.key("output_tokens").num(context.sentTokens).endObject();
    json.endObject();
    return json.data();
}

} // namespace parallax::mock
