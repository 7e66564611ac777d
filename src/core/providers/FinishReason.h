#pragma once

#include <QString>

namespace parallax {

/// Why generation ended, normalized across providers. `Unknown` means the provider did not say.
enum class FinishReason { Unknown, Stop, Length, ToolCalls, ContentFilter, Refusal, Error };

/// "stop", "length", "tool_calls", "content_filter", "refusal", "error"; empty for Unknown.
QString finishReasonName(FinishReason reason);

} // namespace parallax
