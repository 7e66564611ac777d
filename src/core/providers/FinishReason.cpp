#include "FinishReason.h"

namespace parallax {

QString finishReasonName(FinishReason reason) {
    switch (reason) {
    case FinishReason::Unknown:
        return {};
    case FinishReason::Stop:
        return QStringLiteral("stop");
    case FinishReason::Length:
        return QStringLiteral("length");
    case FinishReason::ToolCalls:
        return QStringLiteral("tool_calls");
    case FinishReason::ContentFilter:
        return QStringLiteral("content_filter");
    case FinishReason::Refusal:
        return QStringLiteral("refusal");
    case FinishReason::Error:
        return QStringLiteral("error");
    }
    return {};
}

} // namespace parallax
