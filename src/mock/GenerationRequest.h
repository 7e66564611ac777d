#pragma once

#include <optional>

#include <QString>
#include <QStringList>

namespace parallax::mock {

/// What the mock needs from a generation request, whatever the protocol.
struct GenerationRequest {
    QString model;
    QString system;           ///< all system text, joined
    QStringList messageTexts; ///< every message's text in order (for prompt tokens and directives)
    QString lastUser;         ///< the last user message: with model and system, it seeds the answer
    std::optional<int> maxTokens;
    bool stream = false;
    bool includeUsage = false;   ///< OpenAI stream_options.include_usage
    bool ollamaGenerate = false; ///< /api/generate rather than /api/chat
    bool geminiSse = true;       ///< Gemini stream with alt=sse; else a streamed JSON array
};

} // namespace parallax::mock
