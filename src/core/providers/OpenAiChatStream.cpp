#include "OpenAiChatStream.h"

#include "providers/ErrorBodyParser.h"
#include "providers/JsonFields.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace parallax {

namespace {

FinishReason mapFinishReason(const QString& raw) {
    if (raw == QLatin1String("stop") || raw == QLatin1String("eos") || raw == QLatin1String("end_turn") ||
        raw == QLatin1String("stop_sequence"))
        return FinishReason::Stop;
    if (raw == QLatin1String("length") || raw == QLatin1String("max_tokens"))
        return FinishReason::Length;
    if (raw == QLatin1String("tool_calls") || raw == QLatin1String("function_call"))
        return FinishReason::ToolCalls;
    if (raw == QLatin1String("content_filter"))
        return FinishReason::ContentFilter;
    if (raw == QLatin1String("refusal"))
        return FinishReason::Refusal;
    if (raw == QLatin1String("error"))
        return FinishReason::Error;
    return FinishReason::Unknown;
}

QString argumentsText(const QJsonValue& value) {
    if (value.isString())
        return value.toString();
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    return {};
}

} // namespace

void OpenAiChatStream::handleEvent(const SseEvent& event) {
    if (event.data.trimmed().startsWith("[DONE]")) {
        m_outcome.complete = true;
        return;
    }
    QJsonObject chunk;
    if (!parseObject(event.data, chunk))
        return;
    if (ErrorBodyParser::isErrorObject(chunk)) {
        failMidStream(ErrorBodyParser::fromStreamObject(chunk));
        return;
    }

    const QJsonValue choices = chunk.value(QLatin1String("choices"));
    if (choices.isArray()) {
        for (const QJsonValue& choice : choices.toArray()) {
            const QJsonObject object = choice.toObject();
            // Parallax asks for one choice; with n > 1 the others are not this answer.
            if (object.value(QLatin1String("index")).toInt(0) == 0)
                handleChoice(object);
        }
    } else if (chunk.contains(QLatin1String("content")) || chunk.contains(QLatin1String("stop"))) {
        handleLlamaCppChunk(chunk);
    }

    if (const QJsonValue usage = chunk.value(QLatin1String("usage")); usage.isObject())
        handleUsage(usage.toObject());
    else if (const QJsonValue groqUsage =
                 chunk.value(QLatin1String("x_groq")).toObject().value(QLatin1String("usage"));
             groqUsage.isObject())
        handleUsage(groqUsage.toObject());
}

void OpenAiChatStream::handleChoice(const QJsonObject& choice) {
    QJsonObject delta = choice.value(QLatin1String("delta")).toObject();
    if (delta.isEmpty())
        delta = choice.value(QLatin1String("message")).toObject();

    const QString content = delta.value(QLatin1String("content")).toString();
    if (!content.isEmpty()) {
        m_sawContent = true;
        appendText(content);
    }
    // A refusal is what the model answered, so the user reads it as the answer.
    const QString refusal = delta.value(QLatin1String("refusal")).toString();
    if (!refusal.isEmpty()) {
        m_sawRefusal = true;
        appendText(refusal);
    }
    for (const char* key : {"reasoning_content", "reasoning"}) {
        const QJsonValue reasoning = delta.value(QLatin1String(key));
        if (reasoning.isString()) {
            appendThinking(reasoning.toString());
            break;
        }
    }

    for (const QJsonValue& item : delta.value(QLatin1String("tool_calls")).toArray()) {
        const QJsonObject fragment = item.toObject();
        int index = 0;
        if (fragment.value(QLatin1String("index")).isDouble()) {
            index = fragment.value(QLatin1String("index")).toInt();
        } else if (fragment.contains(QLatin1String("id")) || m_nextImplicitToolIndex == 0) {
            index = m_nextImplicitToolIndex; // servers that omit `index` send calls in order
        } else {
            index = m_nextImplicitToolIndex - 1;
        }
        m_nextImplicitToolIndex = qMax(m_nextImplicitToolIndex, index + 1);
        ToolCall& call = m_toolCalls[index];
        if (const QString id = fragment.value(QLatin1String("id")).toString(); !id.isEmpty())
            call.id = id;
        const QJsonObject function = fragment.value(QLatin1String("function")).toObject();
        if (const QString name = function.value(QLatin1String("name")).toString(); !name.isEmpty())
            call.name = name;
        call.arguments += argumentsText(function.value(QLatin1String("arguments")));
    }

    if (const QString finish = choice.value(QLatin1String("finish_reason")).toString(); !finish.isEmpty())
        setFinish(finish);
}

void OpenAiChatStream::handleUsage(const QJsonObject& usage) {
    Usage& target = m_outcome.usage;
    if (auto input = json::optionalInteger(usage, QLatin1String("prompt_tokens")))
        target.inputTokens = input;
    if (auto output = json::optionalInteger(usage, QLatin1String("completion_tokens")))
        target.outputTokens = output;
    const QJsonObject promptDetails = usage.value(QLatin1String("prompt_tokens_details")).toObject();
    if (auto cached = json::optionalInteger(promptDetails, QLatin1String("cached_tokens")))
        target.cachedInputTokens = cached;
    else if (auto hit = json::optionalInteger(usage, QLatin1String("prompt_cache_hit_tokens")))
        target.cachedInputTokens = hit; // DeepSeek
    const QJsonObject completionDetails = usage.value(QLatin1String("completion_tokens_details")).toObject();
    if (auto reasoning = json::optionalInteger(completionDetails, QLatin1String("reasoning_tokens")))
        target.reasoningTokens = reasoning;
}

void OpenAiChatStream::handleLlamaCppChunk(const QJsonObject& chunk) {
    appendText(chunk.value(QLatin1String("content")).toString());
    if (!chunk.value(QLatin1String("stop")).toBool())
        return;
    const QString stopType = chunk.value(QLatin1String("stop_type")).toString();
    setFinish(stopType.isEmpty() ? QStringLiteral("stop") : stopType);
    if (stopType == QLatin1String("limit"))
        m_outcome.finishReason = FinishReason::Length;
    else if (m_outcome.finishReason == FinishReason::Unknown)
        m_outcome.finishReason = FinishReason::Stop; // eos, word (a stop string), none
    const QJsonObject timings = chunk.value(QLatin1String("timings")).toObject();
    if (auto prompt = json::optionalInteger(timings, QLatin1String("prompt_n")))
        m_outcome.usage.inputTokens = prompt;
    if (auto predicted = json::optionalInteger(timings, QLatin1String("predicted_n")))
        m_outcome.usage.outputTokens = predicted;
    m_outcome.complete = true;
}

void OpenAiChatStream::setFinish(const QString& raw) {
    m_outcome.rawFinishReason = raw;
    m_outcome.finishReason = mapFinishReason(raw);
}

void OpenAiChatStream::flushAtEnd() {
    SseResponseStream::flushAtEnd();
    m_outcome.toolCalls = m_toolCalls.values();
    if (m_sawRefusal && !m_sawContent && m_outcome.finishReason == FinishReason::Stop)
        m_outcome.finishReason = FinishReason::Refusal;
}

} // namespace parallax
