#include "GeminiProtocol.h"

#include <QJsonArray>
#include <QRegularExpression>

#include "JsonWriter.h"

namespace parallax::mock {

namespace {
const char* rpcStatus(int status) {
    switch (status) {
    case 400:
        return "INVALID_ARGUMENT";
    case 401:
        return "UNAUTHENTICATED";
    case 403:
        return "PERMISSION_DENIED";
    case 404:
        return "NOT_FOUND";
    case 429:
        return "RESOURCE_EXHAUSTED";
    case 503:
    case 529:
        return "UNAVAILABLE";
    case 504:
        return "DEADLINE_EXCEEDED";
    default:
        return status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    }
}

const QRegularExpression& pathPattern() {
    static const QRegularExpression pattern(QStringLiteral("^/(?:v1beta|v1)/models/([^/:]+):([A-Za-z]+)$"));
    return pattern;
}
} // namespace

bool GeminiProtocol::ownsPath(const QByteArray& path) {
    return path.startsWith("/v1beta/") || path.startsWith("/v1/models/");
}

GeminiProtocol::Method GeminiProtocol::method(const QByteArray& path, QString* model) {
    const QRegularExpressionMatch match = pathPattern().match(QString::fromUtf8(path));
    if (!match.hasMatch())
        return Method::Unknown;
    if (model)
        *model = match.captured(1);
    if (match.captured(2) == QLatin1String("generateContent"))
        return Method::Generate;
    if (match.captured(2) == QLatin1String("streamGenerateContent"))
        return Method::StreamGenerate;
    return Method::Unknown;
}

QByteArray GeminiProtocol::presentedKey(const HttpRequest& request) const {
    const QByteArray key = request.header("x-goog-api-key");
    if (!key.isEmpty())
        return key;
    return request.query.queryItemValue(QStringLiteral("key"), QUrl::FullyDecoded).toUtf8();
}

std::optional<QString> GeminiProtocol::parse(const QJsonObject& body, const HttpRequest& request,
                                             GenerationRequest& out) const {
    const Method kind = method(request.path, &out.model);
    out.stream = kind == Method::StreamGenerate;
    out.geminiSse = request.query.queryItemValue(QStringLiteral("alt")) == QLatin1String("sse");
    const QJsonValue contents = body.value(QLatin1String("contents"));
    if (!contents.isArray() || contents.toArray().isEmpty())
        return QStringLiteral("* GenerateContentRequest.contents: contents is not specified");
    for (const QJsonValue& value : contents.toArray()) {
        const QJsonObject content = value.toObject();
        const QString text = textOf(content.value(QLatin1String("parts")));
        out.messageTexts.append(text);
        const QString role = content.value(QLatin1String("role")).toString();
        if (role.isEmpty() || role == QLatin1String("user"))
            out.lastUser = text;
    }
    // The REST API accepts both spellings.
    QJsonValue system = body.value(QLatin1String("systemInstruction"));
    if (system.isUndefined())
        system = body.value(QLatin1String("system_instruction"));
    out.system = textOf(system.toObject().value(QLatin1String("parts")));
    QJsonObject config = body.value(QLatin1String("generationConfig")).toObject();
    if (config.isEmpty())
        config = body.value(QLatin1String("generation_config")).toObject();
    QJsonValue maxTokens = config.value(QLatin1String("maxOutputTokens"));
    if (maxTokens.isUndefined())
        maxTokens = config.value(QLatin1String("max_output_tokens"));
    if (maxTokens.isDouble())
        out.maxTokens = maxTokens.toInt();
    return std::nullopt;
}

ErrorResponse GeminiProtocol::error(int status, const QString& message, int retryAfterSeconds) const {
    JsonWriter json(JsonWriter::Spacing::SpaceAfterColon);
    json.beginObject().key("error").beginObject();
    json.key("code").num(status).key("message").str(message).key("status").str(
        QString::fromLatin1(rpcStatus(status)));
    if (status == 429) {
        json.key("details").beginArray().beginObject();
        json.key("@type").str(QStringLiteral("type.googleapis.com/google.rpc.RetryInfo"));
        json.key("retryDelay").str(QString::number(retryAfterSeconds) + QLatin1Char('s'));
        json.endObject().endArray();
    } else if (status == 401) {
        json.key("details").beginArray().beginObject();
        json.key("@type").str(QStringLiteral("type.googleapis.com/google.rpc.ErrorInfo"));
        json.key("reason").str(QStringLiteral("API_KEY_INVALID"));
        json.key("domain").str(QStringLiteral("googleapis.com"));
        json.endObject().endArray();
    }
    json.endObject().endObject();
    return {status, json.data() + '\n', "application/json; charset=UTF-8"};
}

QString GeminiProtocol::newResponseId(quint64 random) const {
    return QString::number(random, 36);
}

QByteArray GeminiProtocol::streamContentType(const ResponseContext& context) const {
    return context.request.geminiSse ? "text/event-stream" : "application/json; charset=UTF-8";
}

QByteArray GeminiProtocol::response(const ResponseContext& context, const QString& text,
                                    bool withFinish) const {
    const int candidates = context.sentTokens;
    JsonWriter json(JsonWriter::Spacing::SpaceAfterColon);
    json.beginObject().key("candidates").beginArray().beginObject();
    json.key("content").beginObject().key("parts").beginArray().beginObject().key("text").str(text);
    json.endObject().endArray().key("role").str(QStringLiteral("model")).endObject();
    if (withFinish) {
        json.key("finishReason")
            .str(context.finish == FinishReason::Length ? QStringLiteral("MAX_TOKENS")
                                                        : QStringLiteral("STOP"));
    }
    json.endObject().endArray();
    json.key("usageMetadata").beginObject().key("promptTokenCount").num(context.promptTokens);
    json.key("candidatesTokenCount")
        .num(candidates)
        .key("totalTokenCount")
        .num(context.promptTokens + candidates);
    json.key("promptTokensDetails").beginArray().beginObject().key("modality").str(QStringLiteral("TEXT"));
    json.key("tokenCount").num(context.promptTokens).endObject().endArray();
    json.endObject();
    json.key("modelVersion").str(context.request.model).key("responseId").str(context.responseId);
    json.endObject();
    return json.data();
}

QByteArray GeminiProtocol::frame(ResponseContext& context, const QByteArray& json) const {
    const bool first = context.framesSent == 0;
    ++context.framesSent;
    if (context.request.geminiSse)
        return "data: " + json + "\r\n\r\n";
    return (first ? QByteArray() : QByteArray(",\r\n")) + json;
}

QByteArray GeminiProtocol::streamStart(ResponseContext& context) const {
    return context.request.geminiSse ? QByteArray() : QByteArray("[");
}

QByteArray GeminiProtocol::streamToken(ResponseContext& context, int index, bool last) const {
    // sentTokens already counts this token when the protocol writes it (usage "so far").
    if (last)
        context.finishSent = true;
    return frame(context, response(context, context.tokenText(index), last));
}

QByteArray GeminiProtocol::streamFinish(ResponseContext& context) const {
    QByteArray out;
    if (!context.finishSent) {
        context.finishSent = true;
        out = frame(context, response(context, QString(), true));
    }
    if (!context.request.geminiSse)
        out += "]";
    return out;
}

QByteArray GeminiProtocol::streamError(ResponseContext& context) const {
    QByteArray out = frame(
        context,
        R"json({"error": {"code": 500,"message": "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting (parallax-mock midstream fault)","status": "INTERNAL"}})json");
    if (!context.request.geminiSse)
        out += "]";
    return out;
}

QByteArray GeminiProtocol::streamMalformed(ResponseContext& context) const {
    return frame(context, "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"oops");
}

QByteArray GeminiProtocol::fullBody(ResponseContext& context) const {
    return response(context, context.fullText(), true) + '\n';
}

} // namespace parallax::mock
