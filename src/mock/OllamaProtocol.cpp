#include "OllamaProtocol.h"

#include <QDateTime>
#include <QJsonArray>

#include "JsonWriter.h"

namespace parallax::mock {

namespace {
QString nowStamp() {
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}
} // namespace

QByteArray OllamaProtocol::presentedKey(const HttpRequest& request) const {
    const QByteArray authorization = request.header("authorization");
    if (authorization.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return authorization.mid(7).trimmed();
    return {};
}

std::optional<QString> OllamaProtocol::parse(const QJsonObject& body, const HttpRequest& request,
                                             GenerationRequest& out) const {
    if (!body.value(QLatin1String("model")).isString() ||
        body.value(QLatin1String("model")).toString().isEmpty())
        return QStringLiteral("model is required");
    out.model = body.value(QLatin1String("model")).toString();
    out.ollamaGenerate = request.path == "/api/generate";
    if (out.ollamaGenerate) {
        out.system = body.value(QLatin1String("system")).toString();
        out.lastUser = body.value(QLatin1String("prompt")).toString();
        out.messageTexts.append(out.lastUser);
    } else {
        const QJsonValue messages = body.value(QLatin1String("messages"));
        if (!messages.isArray())
            return QStringLiteral("messages is required");
        QStringList system;
        for (const QJsonValue& value : messages.toArray()) {
            const QJsonObject message = value.toObject();
            const QString role = message.value(QLatin1String("role")).toString();
            const QString text = message.value(QLatin1String("content")).toString();
            if (role == QLatin1String("system"))
                system.append(text);
            else
                out.messageTexts.append(text);
            if (role == QLatin1String("user"))
                out.lastUser = text;
        }
        out.system = system.join(QLatin1Char('\n'));
    }
    // Streaming is on unless explicitly turned off.
    out.stream = body.value(QLatin1String("stream")).toBool(true);
    const QJsonValue numPredict =
        body.value(QLatin1String("options")).toObject().value(QLatin1String("num_predict"));
    if (numPredict.isDouble() && numPredict.toInt() >= 0)
        out.maxTokens = numPredict.toInt();
    return std::nullopt;
}

ErrorResponse OllamaProtocol::error(int status, const QString& message, int /*retryAfterSeconds*/) const {
    JsonWriter json;
    json.beginObject().key("error").str(message).endObject();
    return {status, json.data(), "application/json; charset=utf-8"};
}

QString OllamaProtocol::newResponseId(quint64 random) const {
    return QString::number(random, 16);
}

QByteArray OllamaProtocol::streamContentType(const ResponseContext& /*context*/) const {
    return "application/x-ndjson";
}

QByteArray OllamaProtocol::line(const ResponseContext& context, const QString& text, bool done) const {
    JsonWriter json;
    json.beginObject().key("model").str(context.request.model).key("created_at").str(nowStamp());
    if (context.request.ollamaGenerate) {
        json.key("response").str(text);
    } else {
        json.key("message").beginObject().key("role").str(QStringLiteral("assistant"));
        json.key("content").str(text).endObject();
    }
    json.key("done").boolean(done);
    if (done) {
        const qint64 total = qMax<qint64>(context.clock.nsecsElapsed(), 1);
        const qint64 firstToken = qBound<qint64>(1, context.firstTokenNs, total);
        json.key("done_reason")
            .str(context.finish == FinishReason::Length ? QStringLiteral("length") : QStringLiteral("stop"));
        json.key("total_duration").num(total).key("load_duration").num(qMin<qint64>(firstToken, 1'000'000));
        json.key("prompt_eval_count").num(context.promptTokens).key("prompt_eval_duration").num(firstToken);
        json.key("eval_count")
            .num(context.sentTokens)
            .key("eval_duration")
            .num(qMax<qint64>(total - firstToken, 1));
    }
    json.endObject();
    return json.data() + '\n';
}

QByteArray OllamaProtocol::streamStart(ResponseContext& /*context*/) const {
    return {};
}

QByteArray OllamaProtocol::streamToken(ResponseContext& context, int index, bool /*last*/) const {
    return line(context, context.tokenText(index), false);
}

QByteArray OllamaProtocol::streamFinish(ResponseContext& context) const {
    return line(context, QString(), true);
}

QByteArray OllamaProtocol::streamError(ResponseContext& /*context*/) const {
    return "{\"error\":\"an error was encountered while running the model (parallax-mock midstream "
           "fault)\"}\n";
}

QByteArray OllamaProtocol::streamMalformed(ResponseContext& context) const {
    JsonWriter head;
    head.beginObject().key("model").str(context.request.model);
    return head.data() + ",\"message\":{\"role\":\"assistant\",\"content\":\"oops\n";
}

QByteArray OllamaProtocol::fullBody(ResponseContext& context) const {
    return line(context, context.fullText(), true);
}

QByteArray OllamaProtocol::tagsBody() {
    JsonWriter json;
    json.beginObject().key("models").beginArray().beginObject();
    json.key("name")
        .str(QStringLiteral("llama3.2:latest"))
        .key("model")
        .str(QStringLiteral("llama3.2:latest"));
    json.key("modified_at").str(QStringLiteral("2025-01-01T00:00:00Z")).key("size").num(2019393189);
    json.key("digest").str(
        QStringLiteral("a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72"));
    json.key("details").beginObject().key("format").str(QStringLiteral("gguf"));
    json.key("family").str(QStringLiteral("llama")).key("parameter_size").str(QStringLiteral("3.2B"));
    json.key("quantization_level").str(QStringLiteral("Q4_K_M")).endObject();
    json.endObject().endArray().endObject();
    return json.data();
}

} // namespace parallax::mock
