#pragma once

#include "net/NdjsonParser.h"
#include "providers/ResponseStream.h"

namespace parallax {

/// Ollama's native NDJSON stream (`/api/chat`, and `/api/generate` lines with `response`). The line with
/// `"done": true` ends the answer and carries the counts; a line `{"error": …}` is a mid-stream failure.
class OllamaChatStream : public ResponseStream {
public:
    void feed(QByteArrayView bytes) override;

protected:
    void flushAtEnd() override;

private:
    void handleLine(const QByteArray& line);

    NdjsonParser m_parser;
    QList<QByteArray> m_pending;
};

} // namespace parallax
