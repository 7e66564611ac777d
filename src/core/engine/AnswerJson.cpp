#include "AnswerJson.h"

#include <QJsonArray>

namespace parallax {

namespace {
QJsonValue optionalValue(const std::optional<qint64>& value) {
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}
} // namespace

QJsonObject AnswerJson::toJson(const Answer& answer) {
    QJsonObject usage{{"input_tokens", optionalValue(answer.usage.inputTokens)},
                      {"output_tokens", optionalValue(answer.usage.outputTokens)},
                      {"cached_input_tokens", optionalValue(answer.usage.cachedInputTokens)},
                      {"reasoning_tokens", optionalValue(answer.usage.reasoningTokens)}};
    QJsonValue error = QJsonValue::Null;
    if (answer.error) {
        error = QJsonObject{{"type", errorTypeName(answer.error->type)},
                            {"message", answer.error->message},
                            {"http_status", answer.error->httpStatus ? QJsonValue(*answer.error->httpStatus)
                                                                     : QJsonValue(QJsonValue::Null)}};
    }
    const QString finish = finishReasonName(answer.finishReason);
    QJsonObject object{
        {"profile", answer.profile},
        {"kind", providerKindName(answer.kind)},
        {"model", answer.model},
        {"text", answer.text},
        {"finish_reason", finish.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(finish)},
        {"raw_finish_reason",
         answer.rawFinishReason ? QJsonValue(*answer.rawFinishReason) : QJsonValue(QJsonValue::Null)},
        {"usage", usage},
        {"ttft_ms", optionalValue(answer.ttftMs)},
        {"latency_ms", optionalValue(answer.latencyMs)},
        {"cost_usd", answer.costUsd ? QJsonValue(*answer.costUsd) : QJsonValue(QJsonValue::Null)},
        {"cached", answer.cached},
        {"attempts", answer.attempts},
        {"fallback_from",
         answer.fallbackFrom ? QJsonValue(*answer.fallbackFrom) : QJsonValue(QJsonValue::Null)},
        {"error", error},
    };
    // Beyond the contract (which allows additions): thinking and tool calls, so nothing received is lost.
    if (!answer.thinking.isEmpty())
        object.insert(QStringLiteral("thinking"), answer.thinking);
    if (!answer.toolCalls.isEmpty()) {
        QJsonArray calls;
        for (const ToolCall& call : answer.toolCalls) {
            calls.append(
                QJsonObject{{"id", call.id.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(call.id)},
                            {"name", call.name},
                            {"arguments", call.arguments}});
        }
        object.insert(QStringLiteral("tool_calls"), calls);
    }
    return object;
}

} // namespace parallax
