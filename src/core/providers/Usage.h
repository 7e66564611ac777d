#pragma once

#include <QtGlobal>

#include <optional>

namespace parallax {

/// Token counts as the provider reported them; a count the provider did not report stays empty.
/// Normalized so every provider means the same thing:
/// - inputTokens counts the whole prompt, including tokens read from or written to a prompt cache;
/// - cachedInputTokens is the part of inputTokens served from the provider's prompt cache;
/// - outputTokens counts everything generated and billed as output, including reasoning tokens;
/// - reasoningTokens is the part of outputTokens spent on hidden reasoning/thinking.
struct Usage {
    std::optional<qint64> inputTokens;
    std::optional<qint64> outputTokens;
    std::optional<qint64> cachedInputTokens;
    std::optional<qint64> reasoningTokens;

    bool isEmpty() const { return !inputTokens && !outputTokens && !cachedInputTokens && !reasoningTokens; }
};

} // namespace parallax
