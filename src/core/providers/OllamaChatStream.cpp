#include "OllamaChatStream.h"

#include "providers/ErrorBodyParser.h"
#include "providers/JsonFields.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace parallax {

void OllamaChatStream::feed(QByteArrayView bytes) {
    m_parser.feed(bytes, m_pending);
    for (const QByteArray& line : std::as_const(m_pending)) {
        if (failed())
            break;
        handleLine(line);
    }
    m_pending.clear();
}

void OllamaChatStream::flushAtEnd() {
    m_parser.finish(m_pending);
    for (const QByteArray& line : std::as_const(m_pending)) {
        if (failed())
            break;
        handleLine(line);
    }
    m_pending.clear();
}

void OllamaChatStream::handleLine(const QByteArray& line) {
    QJsonObject chunk;
    if (!parseObject(line, chunk))
        return;
    if (ErrorBodyParser::isErrorObject(chunk)) {
        failMidStream(ErrorBodyParser::fromStreamObject(chunk));
        return;
    }

    // The final chunk's `message` may be missing on some server versions, so every field is optional.
    const QJsonObject message = chunk.value(QLatin1String("message")).toObject();
    appendThinking(message.value(QLatin1String("thinking")).toString());
    appendThinking(chunk.value(QLatin1String("thinking")).toString());
    appendText(message.value(QLatin1String("content")).toString());
    appendText(chunk.value(QLatin1String("response")).toString());
    for (const QJsonValue& value : message.value(QLatin1String("tool_calls")).toArray()) {
        const QJsonObject function = value.toObject().value(QLatin1String("function")).toObject();
        const QJsonValue arguments = function.value(QLatin1String("arguments"));
        m_outcome.toolCalls.append(ToolCall{
            value.toObject().value(QLatin1String("id")).toString(),
            function.value(QLatin1String("name")).toString(),
            arguments.isString()
                ? arguments.toString()
                : QString::fromUtf8(QJsonDocument(arguments.toObject()).toJson(QJsonDocument::Compact))});
    }

    if (!chunk.value(QLatin1String("done")).toBool())
        return;
    m_outcome.complete = true;
    m_outcome.rawFinishReason = json::optionalString(chunk, QLatin1String("done_reason"));
    const QString reason = m_outcome.rawFinishReason.value_or(QString());
    if (reason == QLatin1String("length"))
        m_outcome.finishReason = FinishReason::Length;
    else if (!m_outcome.toolCalls.isEmpty())
        m_outcome.finishReason = FinishReason::ToolCalls;
    else
        m_outcome.finishReason =
            FinishReason::Stop; // stop, load, unload, or an older server that says nothing
    m_outcome.usage.inputTokens = json::optionalInteger(chunk, QLatin1String("prompt_eval_count"));
    m_outcome.usage.outputTokens = json::optionalInteger(chunk, QLatin1String("eval_count"));
}

} // namespace parallax
