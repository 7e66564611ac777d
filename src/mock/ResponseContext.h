#pragma once

#include <QElapsedTimer>
#include <QString>
#include <QStringList>

#include "GenerationRequest.h"

namespace parallax::mock {

enum class FinishReason { Stop, Length };

/// Everything a protocol needs to write one answer: the request, the planned words and how far
/// the stream got.
struct ResponseContext {
    GenerationRequest request;
    QString responseId; ///< chatcmpl-..., msg_..., ...
    QString requestId;  ///< value of x-request-id / request-id
    qint64 created = 0; ///< Unix seconds
    int promptTokens = 1;
    QStringList words; ///< the answer as it will be sent (already cut to the token limit)
    FinishReason finish = FinishReason::Stop;
    int sentTokens = 0;
    bool finishSent = false; ///< Gemini puts finishReason on the last text chunk
    int framesSent = 0;      ///< Gemini's JSON-array framing needs to know where commas go
    QElapsedTimer clock;     ///< started when the request arrived (Ollama's durations)
    qint64 firstTokenNs = 0;

    /// Token i as it goes on the wire: words after the first carry their leading space.
    QString tokenText(int index) const {
        return index == 0 ? words.value(0) : QLatin1Char(' ') + words.value(index);
    }
    QString fullText() const { return words.join(QLatin1Char(' ')); }
};

} // namespace parallax::mock
