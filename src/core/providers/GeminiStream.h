#pragma once

#include "providers/SseResponseStream.h"

namespace parallax {

/// Gemini `streamGenerateContent?alt=sse`: every event is a whole GenerateContentResponse holding only
/// new text; the last usageMetadata is the total; the body's end is the stream's end.
class GeminiStream : public SseResponseStream {
protected:
    void handleEvent(const SseEvent& event) override;
};

} // namespace parallax
