#pragma once

#include "providers/SseResponseStream.h"

#include <QMap>

namespace parallax {

/// Anthropic Messages events: message_start, content_block_start/delta/stop, message_delta,
/// message_stop, ping and error. Unknown events, block types and delta types are skipped, as the SDK does.
class AnthropicMessageStream : public SseResponseStream {
protected:
    void handleEvent(const SseEvent& event) override;
    void flushAtEnd() override;

private:
    enum class BlockKind { Text, Thinking, ToolUse, Other };
    void handleWholeMessage(const QJsonObject& message);
    void readUsage(const QJsonObject& usage);
    void updateNormalizedUsage();

    QMap<int, BlockKind> m_blocks;
    QMap<int, ToolCall> m_toolCalls; // by content block index
    std::optional<qint64> m_uncachedInput;
    std::optional<qint64> m_cacheRead;
    std::optional<qint64> m_cacheCreation;
};

} // namespace parallax
