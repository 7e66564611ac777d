#pragma once

#include "providers/FinishReason.h"
#include "providers/ProviderError.h"
#include "providers/ToolCall.h"
#include "providers/Usage.h"

#include <QList>
#include <QString>

#include <optional>

namespace parallax {

/// Everything a response stream has yielded so far, normalized.
struct StreamOutcome {
    QString text;
    QString thinking;
    QList<ToolCall> toolCalls;
    FinishReason finishReason = FinishReason::Unknown;
    std::optional<QString> rawFinishReason;
    Usage usage;
    std::optional<ProviderError> error;
    /// The provider signalled the end of the answer ([DONE], message_stop, done:true, a finish reason).
    bool complete = false;
};

} // namespace parallax
