#pragma once

#include "providers/FinishReason.h"
#include "providers/ProviderError.h"
#include "providers/ProviderKind.h"
#include "providers/ToolCall.h"
#include "providers/Usage.h"

#include <QList>
#include <QString>

#include <optional>

namespace parallax {

/// The normalized result of one request to one profile, the same for every provider.
struct Answer {
    QString profile;
    ProviderKind kind = ProviderKind::OpenAi;
    QString model;
    QString text;     ///< the answer the user reads (refusal text included); never thinking
    QString thinking; ///< reasoning/thought summaries, kept apart from the answer
    QList<ToolCall> toolCalls;
    FinishReason finishReason = FinishReason::Unknown;
    std::optional<QString> rawFinishReason; ///< the provider's own value, e.g. "end_turn", "MAX_TOKENS"
    Usage usage;
    std::optional<qint64> ttftMs;    ///< from sending the request to the first streamed token
    std::optional<qint64> latencyMs; ///< from sending the request to the end of the answer
    std::optional<double> costUsd;   ///< empty when the price or the usage is unknown
    bool cached = false;
    int attempts = 0;
    std::optional<QString> fallbackFrom;
    std::optional<ProviderError> error;

    bool succeeded() const { return !error.has_value(); }
};

} // namespace parallax
