#pragma once

#include "providers/SseResponseStream.h"
#include "json/JsonTree.h"

#include <QMap>

namespace parallax {

/// OpenAI Chat Completions chunks (`chat.completion.chunk`), leniently, as every OpenAI-compatible server
/// sends them: any field may be missing, `choices` may be empty, usage may come on any chunk (top-level
/// `usage` or Groq's `x_groq.usage`), reasoning arrives as `reasoning_content` or `reasoning`, and
/// llama.cpp's native `/completion` chunks (`content`, `stop`, `timings`) are understood too.
class OpenAiChatStream : public SseResponseStream {
protected:
    void handleEvent(const SseEvent& event) override;
    void flushAtEnd() override;

private:
    void handleChoice(const JsonTree::Value& choice);
    void handleUsage(const JsonTree::Value& usage);
    void handleLlamaCppChunk(const JsonTree::Value& chunk);
    void setFinish(const QString& raw);

    JsonTree m_chunk;                // reused: its node storage keeps its capacity from chunk to chunk
    QMap<int, ToolCall> m_toolCalls; // by tool_calls[].index
    int m_nextImplicitToolIndex = 0;
    bool m_sawContent = false;
    bool m_sawRefusal = false;
};

} // namespace parallax
