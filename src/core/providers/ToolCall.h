#pragma once

#include <QString>

namespace parallax {

/// A function/tool call the model asked for. Collected as data; Parallax does not execute tools.
struct ToolCall {
    QString id; ///< empty where the provider sends none (Gemini, older Ollama)
    QString name;
    QString arguments; ///< JSON text as received (OpenAI and Anthropic stream it in fragments)
};

} // namespace parallax
