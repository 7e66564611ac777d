#include "AnthropicMessageStream.h"

#include "providers/ErrorBodyParser.h"
#include "providers/JsonFields.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace parallax {

namespace {

FinishReason mapStopReason(const QString& raw) {
    if (raw == QLatin1String("end_turn") || raw == QLatin1String("stop_sequence") ||
        raw == QLatin1String("pause_turn"))
        return FinishReason::Stop;
    if (raw == QLatin1String("max_tokens") || raw == QLatin1String("model_context_window_exceeded"))
        return FinishReason::Length;
    if (raw == QLatin1String("tool_use"))
        return FinishReason::ToolCalls;
    if (raw == QLatin1String("refusal"))
        return FinishReason::Refusal;
    return FinishReason::Unknown;
}

} // namespace

void AnthropicMessageStream::handleEvent(const SseEvent& event) {
    QJsonObject data;
    if (!parseObject(event.data, data))
        return;
    // The event name and data.type agree on the wire; fall back to data.type when a proxy drops `event:`.
    const QString type =
        event.type.isEmpty() ? data.value(QLatin1String("type")).toString() : QString::fromUtf8(event.type);

    if (type == QLatin1String("message_start")) {
        readUsage(data.value(QLatin1String("message")).toObject().value(QLatin1String("usage")).toObject());
    } else if (type == QLatin1String("content_block_start")) {
        const int index = data.value(QLatin1String("index")).toInt();
        const QJsonObject block = data.value(QLatin1String("content_block")).toObject();
        const QString blockType = block.value(QLatin1String("type")).toString();
        if (blockType == QLatin1String("text")) {
            m_blocks[index] = BlockKind::Text;
            appendText(block.value(QLatin1String("text")).toString());
        } else if (blockType == QLatin1String("thinking")) {
            m_blocks[index] = BlockKind::Thinking;
            appendThinking(block.value(QLatin1String("thinking")).toString());
        } else if (blockType == QLatin1String("tool_use") || blockType == QLatin1String("server_tool_use")) {
            m_blocks[index] = BlockKind::ToolUse;
            ToolCall& call = m_toolCalls[index];
            call.id = block.value(QLatin1String("id")).toString();
            call.name = block.value(QLatin1String("name")).toString();
        } else {
            m_blocks[index] = BlockKind::Other; // redacted_thinking, compaction, and types not yet invented
        }
    } else if (type == QLatin1String("content_block_delta")) {
        const int index = data.value(QLatin1String("index")).toInt();
        const QJsonObject delta = data.value(QLatin1String("delta")).toObject();
        const QString deltaType = delta.value(QLatin1String("type")).toString();
        if (deltaType == QLatin1String("text_delta"))
            appendText(delta.value(QLatin1String("text")).toString());
        else if (deltaType == QLatin1String("thinking_delta"))
            appendThinking(delta.value(QLatin1String("thinking")).toString());
        else if (deltaType == QLatin1String("input_json_delta") && m_toolCalls.contains(index))
            m_toolCalls[index].arguments += delta.value(QLatin1String("partial_json")).toString();
        // signature_delta, citations_delta and unknown deltas carry nothing to show.
    } else if (type == QLatin1String("message_delta")) {
        const QString stopReason =
            data.value(QLatin1String("delta")).toObject().value(QLatin1String("stop_reason")).toString();
        if (!stopReason.isEmpty()) {
            m_outcome.rawFinishReason = stopReason;
            m_outcome.finishReason = mapStopReason(stopReason);
        }
        readUsage(data.value(QLatin1String("usage")).toObject());
    } else if (type == QLatin1String("message")) {
        handleWholeMessage(data); // a server that answered without streaming
    } else if (type == QLatin1String("message_stop")) {
        m_outcome.complete = true;
    } else if (type == QLatin1String("error")) {
        failMidStream(ErrorBodyParser::fromStreamObject(data));
    }
    // ping and unknown events: nothing to do.
}

void AnthropicMessageStream::handleWholeMessage(const QJsonObject& message) {
    const QJsonArray blocks = message.value(QLatin1String("content")).toArray();
    for (qsizetype index = 0; index < blocks.size(); ++index) {
        const QJsonObject block = blocks.at(index).toObject();
        const QString blockType = block.value(QLatin1String("type")).toString();
        if (blockType == QLatin1String("text")) {
            appendText(block.value(QLatin1String("text")).toString());
        } else if (blockType == QLatin1String("thinking")) {
            appendThinking(block.value(QLatin1String("thinking")).toString());
        } else if (blockType == QLatin1String("tool_use")) {
            m_toolCalls[static_cast<int>(index)] = ToolCall{
                block.value(QLatin1String("id")).toString(), block.value(QLatin1String("name")).toString(),
                QString::fromUtf8(QJsonDocument(block.value(QLatin1String("input")).toObject())
                                      .toJson(QJsonDocument::Compact))};
        }
    }
    if (const QString stopReason = message.value(QLatin1String("stop_reason")).toString();
        !stopReason.isEmpty()) {
        m_outcome.rawFinishReason = stopReason;
        m_outcome.finishReason = mapStopReason(stopReason);
    }
    readUsage(message.value(QLatin1String("usage")).toObject());
    m_outcome.complete = true;
}

void AnthropicMessageStream::readUsage(const QJsonObject& usage) {
    if (usage.isEmpty())
        return;
    if (auto input = json::optionalInteger(usage, QLatin1String("input_tokens")))
        m_uncachedInput = input;
    if (auto read = json::optionalInteger(usage, QLatin1String("cache_read_input_tokens")))
        m_cacheRead = read;
    if (auto creation = json::optionalInteger(usage, QLatin1String("cache_creation_input_tokens")))
        m_cacheCreation = creation;
    // output_tokens in message_delta is cumulative, so the latest value is the total.
    if (auto output = json::optionalInteger(usage, QLatin1String("output_tokens")))
        m_outcome.usage.outputTokens = output;
    updateNormalizedUsage();
}

void AnthropicMessageStream::updateNormalizedUsage() {
    // Anthropic's input_tokens excludes cache reads and writes; Parallax's input counts the whole prompt.
    if (m_uncachedInput)
        m_outcome.usage.inputTokens =
            *m_uncachedInput + m_cacheRead.value_or(0) + m_cacheCreation.value_or(0);
    m_outcome.usage.cachedInputTokens = m_cacheRead;
}

void AnthropicMessageStream::flushAtEnd() {
    SseResponseStream::flushAtEnd();
    m_outcome.toolCalls.clear();
    for (ToolCall call : std::as_const(m_toolCalls)) {
        if (call.arguments.isEmpty())
            call.arguments = QStringLiteral("{}"); // a tool without input streams no input_json_delta
        m_outcome.toolCalls.append(call);
    }
}

} // namespace parallax
