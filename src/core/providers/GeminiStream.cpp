#include "GeminiStream.h"

#include "providers/ErrorBodyParser.h"
#include "providers/JsonFields.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace parallax {

namespace {

FinishReason mapFinishReason(const QString& raw) {
    if (raw == QLatin1String("STOP"))
        return FinishReason::Stop;
    if (raw == QLatin1String("MAX_TOKENS"))
        return FinishReason::Length;
    if (raw == QLatin1String("SAFETY") || raw == QLatin1String("RECITATION") ||
        raw == QLatin1String("BLOCKLIST") || raw == QLatin1String("PROHIBITED_CONTENT") ||
        raw == QLatin1String("SPII") || raw == QLatin1String("IMAGE_SAFETY") ||
        raw == QLatin1String("LANGUAGE"))
        return FinishReason::ContentFilter;
    if (raw == QLatin1String("MALFORMED_FUNCTION_CALL") || raw == QLatin1String("UNEXPECTED_TOOL_CALL"))
        return FinishReason::Error;
    return FinishReason::Unknown; // OTHER, FINISH_REASON_UNSPECIFIED and values added later
}

} // namespace

void GeminiStream::handleEvent(const SseEvent& event) {
    QJsonObject response;
    if (!parseObject(event.data, response))
        return;
    if (ErrorBodyParser::isErrorObject(response)) {
        failMidStream(ErrorBodyParser::fromStreamObject(response));
        return;
    }

    if (const QJsonValue usageValue = response.value(QLatin1String("usageMetadata")); usageValue.isObject()) {
        // Every chunk repeats the running totals; the last one wins, they are never added up.
        const QJsonObject usage = usageValue.toObject();
        const auto candidates = json::optionalInteger(usage, QLatin1String("candidatesTokenCount"));
        const auto thoughts = json::optionalInteger(usage, QLatin1String("thoughtsTokenCount"));
        m_outcome.usage.inputTokens = json::optionalInteger(usage, QLatin1String("promptTokenCount"));
        m_outcome.usage.outputTokens = json::sumKnown(candidates, thoughts); // thoughts are billed as output
        m_outcome.usage.reasoningTokens = thoughts;
        m_outcome.usage.cachedInputTokens =
            json::optionalInteger(usage, QLatin1String("cachedContentTokenCount"));
    }

    const QJsonArray candidates = response.value(QLatin1String("candidates")).toArray();
    if (candidates.isEmpty()) {
        const QString blockReason = response.value(QLatin1String("promptFeedback"))
                                        .toObject()
                                        .value(QLatin1String("blockReason"))
                                        .toString();
        if (!blockReason.isEmpty()) {
            ProviderError error;
            error.type = ErrorType::Blocked;
            error.providerCode = blockReason;
            error.message = QStringLiteral("the provider blocked the prompt (%1)").arg(blockReason);
            failMidStream(error);
            m_outcome.finishReason = FinishReason::ContentFilter;
            m_outcome.rawFinishReason = blockReason;
        }
        return;
    }

    const QJsonObject candidate = candidates.first().toObject();
    for (const QJsonValue& partValue :
         candidate.value(QLatin1String("content")).toObject().value(QLatin1String("parts")).toArray()) {
        const QJsonObject part = partValue.toObject();
        if (part.contains(QLatin1String("functionCall"))) {
            const QJsonObject call = part.value(QLatin1String("functionCall")).toObject();
            m_outcome.toolCalls.append(ToolCall{
                call.value(QLatin1String("id")).toString(), call.value(QLatin1String("name")).toString(),
                QString::fromUtf8(QJsonDocument(call.value(QLatin1String("args")).toObject())
                                      .toJson(QJsonDocument::Compact))});
            continue;
        }
        const QString text = part.value(QLatin1String("text")).toString();
        if (part.value(QLatin1String("thought")).toBool())
            appendThinking(text);
        else
            appendText(text);
    }

    if (const QString finish = candidate.value(QLatin1String("finishReason")).toString(); !finish.isEmpty()) {
        m_outcome.rawFinishReason = finish;
        m_outcome.finishReason = mapFinishReason(finish);
        // Gemini says STOP when it asks for a function; Parallax names that the same for every provider.
        if (m_outcome.finishReason == FinishReason::Stop && !m_outcome.toolCalls.isEmpty())
            m_outcome.finishReason = FinishReason::ToolCalls;
    }
}

} // namespace parallax
