#include "OpenAiProtocol.h"

#include <QJsonArray>

#include "JsonWriter.h"

namespace parallax::mock {

namespace {
QByteArray sse(const QByteArray& json) {
    return "data: " + json + "\n\n";
}

QString alphanumericId(quint64 random, int length) {
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id;
    for (int i = 0; i < length; ++i) {
        id += QLatin1Char(kAlphabet[random % 62]);
        random = random / 62 + static_cast<quint64>(i + 1) * 0x9E3779B97F4A7C15ULL;
    }
    return id;
}
} // namespace

QByteArray OpenAiProtocol::presentedKey(const HttpRequest& request) const {
    const QByteArray authorization = request.header("authorization");
    if (authorization.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return authorization.mid(7).trimmed();
    return {};
}

std::optional<QString> OpenAiProtocol::parse(const QJsonObject& body, const HttpRequest& /*request*/,
                                             GenerationRequest& out) const {
    if (!body.value(QLatin1String("model")).isString())
        return QStringLiteral("you must provide a model parameter");
    const QJsonValue messages = body.value(QLatin1String("messages"));
    if (!messages.isArray() || messages.toArray().isEmpty())
        return QStringLiteral("'messages' must be a non-empty array");
    out.model = body.value(QLatin1String("model")).toString();
    QStringList system;
    for (const QJsonValue& value : messages.toArray()) {
        const QJsonObject message = value.toObject();
        const QString role = message.value(QLatin1String("role")).toString();
        const QString text = textOf(message.value(QLatin1String("content")));
        if (role == QLatin1String("system") || role == QLatin1String("developer"))
            system.append(text);
        else
            out.messageTexts.append(text);
        if (role == QLatin1String("user"))
            out.lastUser = text;
    }
    out.system = system.join(QLatin1Char('\n'));
    const QJsonValue maxTokens = body.contains(QLatin1String("max_completion_tokens"))
                                     ? body.value(QLatin1String("max_completion_tokens"))
                                     : body.value(QLatin1String("max_tokens"));
    if (maxTokens.isDouble())
        out.maxTokens = maxTokens.toInt();
    out.stream = body.value(QLatin1String("stream")).toBool();
    out.includeUsage =
        body.value(QLatin1String("stream_options")).toObject().value(QLatin1String("include_usage")).toBool();
    return std::nullopt;
}

ErrorResponse OpenAiProtocol::error(int status, const QString& message, int /*retryAfterSeconds*/) const {
    const char* type = "invalid_request_error";
    const char* code = nullptr;
    switch (status) {
    case 401:
        code = "invalid_api_key";
        break;
    case 404:
        code = "unknown_url";
        break;
    case 429:
        type = "requests";
        code = "rate_limit_exceeded";
        break;
    default:
        if (status >= 500)
            type = "server_error";
        break;
    }
    JsonWriter json;
    json.beginObject().key("error").beginObject();
    json.key("message").str(message).key("type").str(QString::fromLatin1(type)).key("param").null();
    json.key("code");
    if (code)
        json.str(QString::fromLatin1(code));
    else
        json.null();
    json.endObject().endObject();
    return {status, json.data() + '\n', "application/json"};
}

HeaderList OpenAiProtocol::identityHeaders(const ResponseContext& context) const {
    return {{"x-request-id", context.requestId.toUtf8()}, {"openai-processing-ms", "1"}};
}

HeaderList OpenAiProtocol::rateLimitHeaders(const RateLimitState& state) const {
    HeaderList headers;
    if (state.requestLimit > 0) {
        headers.append({"x-ratelimit-limit-requests", QByteArray::number(state.requestLimit)});
        headers.append({"x-ratelimit-remaining-requests", QByteArray::number(state.requestRemaining)});
        headers.append({"x-ratelimit-reset-requests", goDuration(state.requestResetMs)});
    }
    if (state.tokenLimit > 0) {
        headers.append({"x-ratelimit-limit-tokens", QByteArray::number(state.tokenLimit)});
        headers.append({"x-ratelimit-remaining-tokens", QByteArray::number(state.tokenRemaining)});
        headers.append({"x-ratelimit-reset-tokens", goDuration(state.tokenResetMs)});
    }
    return headers;
}

QString OpenAiProtocol::newResponseId(quint64 random) const {
    return QStringLiteral("chatcmpl-") + alphanumericId(random, 29);
}

QByteArray OpenAiProtocol::goDuration(qint64 ms) {
    if (ms <= 0)
        return "0s";
    if (ms < 1000)
        return QByteArray::number(ms) + "ms";
    QByteArray out;
    const qint64 hours = ms / 3'600'000;
    const qint64 minutes = (ms / 60'000) % 60;
    const qint64 seconds = (ms / 1000) % 60;
    const qint64 millis = ms % 1000;
    if (hours > 0)
        out += QByteArray::number(hours) + 'h';
    if (hours > 0 || minutes > 0)
        out += QByteArray::number(minutes) + 'm';
    out += QByteArray::number(seconds);
    if (millis > 0) {
        QByteArray fraction = QByteArray::number(millis).rightJustified(3, '0');
        while (fraction.endsWith('0'))
            fraction.chop(1);
        out += '.' + fraction;
    }
    return out + 's';
}

QByteArray OpenAiProtocol::chunk(const ResponseContext& context, const QByteArray& delta,
                                 const char* finishReason) const {
    JsonWriter json;
    json.beginObject();
    json.key("id").str(context.responseId).key("object").str(QStringLiteral("chat.completion.chunk"));
    json.key("created").num(context.created).key("model").str(context.request.model);
    json.key("system_fingerprint").str(QStringLiteral("fp_parallax_mock"));
    json.key("choices").beginArray().beginObject();
    json.key("index").num(0).key("delta").raw(delta).key("logprobs").null().key("finish_reason");
    if (finishReason)
        json.str(QString::fromLatin1(finishReason));
    else
        json.null();
    json.endObject().endArray().endObject();
    return json.data();
}

QByteArray OpenAiProtocol::usage(const ResponseContext& context) const {
    JsonWriter json;
    json.beginObject();
    json.key("prompt_tokens").num(context.promptTokens).key("completion_tokens").num(context.sentTokens);
    json.key("total_tokens").num(context.promptTokens + context.sentTokens);
    json.key("prompt_tokens_details").beginObject().key("cached_tokens").num(0).endObject();
    json.key("completion_tokens_details").beginObject().key("reasoning_tokens").num(0).endObject();
    json.endObject();
    return json.data();
}

QByteArray OpenAiProtocol::streamStart(ResponseContext& context) const {
    return sse(chunk(context, R"({"role":"assistant","content":"","refusal":null})", nullptr));
}

QByteArray OpenAiProtocol::streamToken(ResponseContext& context, int index, bool /*last*/) const {
    JsonWriter delta;
    delta.beginObject().key("content").str(context.tokenText(index)).endObject();
    return sse(chunk(context, delta.data(), nullptr));
}

QByteArray OpenAiProtocol::streamFinish(ResponseContext& context) const {
    QByteArray out = sse(chunk(context, "{}", context.finish == FinishReason::Length ? "length" : "stop"));
    if (context.request.includeUsage) {
        JsonWriter json;
        json.beginObject();
        json.key("id").str(context.responseId).key("object").str(QStringLiteral("chat.completion.chunk"));
        json.key("created").num(context.created).key("model").str(context.request.model);
        json.key("system_fingerprint").str(QStringLiteral("fp_parallax_mock"));
        json.key("choices").beginArray().endArray().key("usage").raw(usage(context));
        json.endObject();
        out += sse(json.data());
    }
    return out + "data: [DONE]\n\n";
}

QByteArray OpenAiProtocol::streamError(ResponseContext& /*context*/) const {
    return sse(
        R"json({"error":{"message":"The server had an error while processing your request. (parallax-mock midstream fault)","type":"server_error","code":"server_error"}})json");
}

QByteArray OpenAiProtocol::streamMalformed(ResponseContext& /*context*/) const {
    return "data: {\"choices\":[{\"delta\":{\"content\": \"oops\n\n";
}

QByteArray OpenAiProtocol::fullBody(ResponseContext& context) const {
    JsonWriter json;
    json.beginObject();
    json.key("id").str(context.responseId).key("object").str(QStringLiteral("chat.completion"));
    json.key("created").num(context.created).key("model").str(context.request.model);
    json.key("choices").beginArray().beginObject().key("index").num(0);
    json.key("message").beginObject().key("role").str(QStringLiteral("assistant"));
    json.key("content").str(context.fullText()).key("refusal").null().endObject();
    json.key("logprobs").null();
    json.key("finish_reason")
        .str(context.finish == FinishReason::Length ? QStringLiteral("length") : QStringLiteral("stop"));
    json.endObject().endArray();
    json.key("usage").raw(usage(context));
    json.key("system_fingerprint").str(QStringLiteral("fp_parallax_mock"));
    json.endObject();
    return json.data() + '\n';
}

} // namespace parallax::mock
