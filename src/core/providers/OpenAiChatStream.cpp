#include "OpenAiChatStream.h"

#include "providers/ErrorBodyParser.h"

#include <QJsonDocument>
#include <QJsonObject>

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

QString argumentsText(const JsonTree::Value& value) {
    if (value.isString())
        return value.toString();
    if (value.isObject()) // rare (a few servers send an object): written as QJsonDocument writes it
        return QString::fromUtf8(
            QJsonDocument::fromJson(value.text().toByteArray()).toJson(QJsonDocument::Compact));
    return {};
}

std::optional<qint64> optionalInteger(const JsonTree::Value& value) {
    if (!value.isNumber())
        return std::nullopt;
    return value.toInteger();
}

using Key = QLatin1StringView;

} // namespace

void OpenAiChatStream::handleEvent(const SseEvent& event) {
    if (event.data.trimmed().startsWith("[DONE]")) {
        m_outcome.complete = true;
        return;
    }
    // JsonTree, not QJsonObject: this runs for every chunk of every answer (see JsonTree).
    if (!m_chunk.parse(event.data) || !m_chunk.root().isObject()) {
        failMalformed(event.data);
        return;
    }
    const JsonTree::Value chunk = m_chunk.root();
    if (ErrorBodyParser::isErrorObject(chunk)) {
        QJsonObject object;
        if (parseObject(event.data, object))
            failMidStream(ErrorBodyParser::fromStreamObject(object));
        return;
    }

    const JsonTree::Value choices = chunk[Key("choices")];
    if (choices.isArray()) {
        for (JsonTree::Value choice = choices.firstChild(); !choice.isUndefined();
             choice = choice.nextSibling()) {
            // Parallax asks for one choice; with n > 1 the others are not this answer.
            if (choice[Key("index")].toInt(0) == 0)
                handleChoice(choice);
        }
    } else if (chunk.contains(Key("content")) || chunk.contains(Key("stop"))) {
        handleLlamaCppChunk(chunk);
    }

    if (const JsonTree::Value usage = chunk[Key("usage")]; usage.isObject())
        handleUsage(usage);
    else if (const JsonTree::Value groqUsage = chunk[Key("x_groq")][Key("usage")]; groqUsage.isObject())
        handleUsage(groqUsage);
}

void OpenAiChatStream::handleChoice(const JsonTree::Value& choice) {
    JsonTree::Value delta = choice[Key("delta")];
    if (!delta.isObject() || delta.firstChild().isUndefined())
        delta = choice[Key("message")];

    const QString content = delta[Key("content")].toString();
    if (!content.isEmpty()) {
        m_sawContent = true;
        appendText(content);
    }
    // A refusal is what the model answered, so the user reads it as the answer.
    const QString refusal = delta[Key("refusal")].toString();
    if (!refusal.isEmpty()) {
        m_sawRefusal = true;
        appendText(refusal);
    }
    for (const char* key : {"reasoning_content", "reasoning"}) {
        const JsonTree::Value reasoning = delta[Key(key)];
        if (reasoning.isString()) {
            appendThinking(reasoning.toString());
            break;
        }
    }

    const JsonTree::Value toolCalls = delta[Key("tool_calls")];
    for (JsonTree::Value fragment = toolCalls.isArray() ? toolCalls.firstChild() : JsonTree::Value();
         !fragment.isUndefined(); fragment = fragment.nextSibling()) {
        int index = 0;
        if (fragment[Key("index")].isNumber()) {
            index = fragment[Key("index")].toInt();
        } else if (fragment.contains(Key("id")) || m_nextImplicitToolIndex == 0) {
            index = m_nextImplicitToolIndex; // servers that omit `index` send calls in order
        } else {
            index = m_nextImplicitToolIndex - 1;
        }
        m_nextImplicitToolIndex = qMax(m_nextImplicitToolIndex, index + 1);
        ToolCall& call = m_toolCalls[index];
        if (const QString id = fragment[Key("id")].toString(); !id.isEmpty())
            call.id = id;
        const JsonTree::Value function = fragment[Key("function")];
        if (const QString name = function[Key("name")].toString(); !name.isEmpty())
            call.name = name;
        call.arguments += argumentsText(function[Key("arguments")]);
    }

    if (const QString finish = choice[Key("finish_reason")].toString(); !finish.isEmpty())
        setFinish(finish);
}

void OpenAiChatStream::handleUsage(const JsonTree::Value& usage) {
    Usage& target = m_outcome.usage;
    if (auto input = optionalInteger(usage[Key("prompt_tokens")]))
        target.inputTokens = input;
    if (auto output = optionalInteger(usage[Key("completion_tokens")]))
        target.outputTokens = output;
    if (auto cached = optionalInteger(usage[Key("prompt_tokens_details")][Key("cached_tokens")]))
        target.cachedInputTokens = cached;
    else if (auto hit = optionalInteger(usage[Key("prompt_cache_hit_tokens")]))
        target.cachedInputTokens = hit; // DeepSeek
    if (auto reasoning = optionalInteger(usage[Key("completion_tokens_details")][Key("reasoning_tokens")]))
        target.reasoningTokens = reasoning;
}

void OpenAiChatStream::handleLlamaCppChunk(const JsonTree::Value& chunk) {
    appendText(chunk[Key("content")].toString());
    if (!chunk[Key("stop")].toBool())
        return;
    const QString stopType = chunk[Key("stop_type")].toString();
    setFinish(stopType.isEmpty() ? QStringLiteral("stop") : stopType);
    if (stopType == QLatin1String("limit"))
        m_outcome.finishReason = FinishReason::Length;
    else if (m_outcome.finishReason == FinishReason::Unknown)
        m_outcome.finishReason = FinishReason::Stop; // eos, word (a stop string), none
    const JsonTree::Value timings = chunk[Key("timings")];
    if (auto prompt = optionalInteger(timings[Key("prompt_n")]))
        m_outcome.usage.inputTokens = prompt;
    if (auto predicted = optionalInteger(timings[Key("predicted_n")]))
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
