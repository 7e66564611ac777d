#pragma once

#include "providers/ProviderError.h"
#include "json/JsonTree.h"

#include <QByteArrayView>
#include <QJsonObject>

#include <optional>

namespace parallax {

/// Turns a provider's error body into a typed ProviderError. It understands every shape the five
/// protocols use (they are told apart by their fields, so one parser serves all):
/// OpenAI `{"error":{"message","type","code"}}`, Anthropic `{"type":"error","error":{"type","message"}}`,
/// Gemini `{"error":{"code","message","status","details"}}`, Ollama `{"error":"text"}`, and vLLM's older
/// `{"object":"error","message","type","code"}`. Bodies that are not JSON (proxies, HTML pages) still
/// give a readable message.
class ErrorBodyParser {
public:
    /// An HTTP error response (non-2xx) with its body.
    static ProviderError fromHttpResponse(int httpStatus, QByteArrayView body);

    /// An error object that arrived inside a 200 stream (SSE event or NDJSON line).
    static ProviderError fromStreamObject(const QJsonObject& root);

    /// Whether a stream object is an error report rather than data.
    static bool isErrorObject(const QJsonObject& root);
    /// The same test on a chunk read with JsonTree (the streamed-chunk hot path).
    static bool isErrorObject(const JsonTree::Value& root);

private:
    static ProviderError fromJson(std::optional<int> httpStatus, const QJsonObject& root);
};

} // namespace parallax
