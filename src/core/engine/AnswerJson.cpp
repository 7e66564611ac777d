#include "AnswerJson.h"

#include "json/CompactJsonWriter.h"

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

QByteArray AnswerJson::toCompactJson(const Answer& answer) {
    // Members in QJsonObject's (sorted) order, so the text is what QJsonDocument writes for toJson();
    // TestAnswerJson compares the two.
    using Key = QLatin1StringView;
    CompactJsonWriter json;
    json.beginObject();
    json.key(Key("attempts")).value(answer.attempts);
    json.key(Key("cached")).value(answer.cached);
    json.key(Key("cost_usd")).optional(answer.costUsd);
    json.key(Key("error"));
    if (answer.error) {
        json.beginObject();
        json.key(Key("http_status")).optional(answer.error->httpStatus);
        json.key(Key("message")).value(answer.error->message);
        json.key(Key("type")).value(errorTypeName(answer.error->type));
        json.endObject();
    } else {
        json.null();
    }
    json.key(Key("fallback_from")).optional(answer.fallbackFrom);
    json.key(Key("finish_reason")).stringOrNull(finishReasonName(answer.finishReason));
    json.key(Key("kind")).value(providerKindName(answer.kind));
    json.key(Key("latency_ms")).optional(answer.latencyMs);
    json.key(Key("model")).value(answer.model);
    json.key(Key("profile")).value(answer.profile);
    json.key(Key("raw_finish_reason")).optional(answer.rawFinishReason);
    json.key(Key("text")).value(answer.text);
    if (!answer.thinking.isEmpty())
        json.key(Key("thinking")).value(answer.thinking);
    if (!answer.toolCalls.isEmpty()) {
        json.key(Key("tool_calls")).beginArray();
        for (const ToolCall& call : answer.toolCalls) {
            json.beginObject();
            json.key(Key("arguments")).value(call.arguments);
            json.key(Key("id")).stringOrNull(call.id);
            json.key(Key("name")).value(call.name);
            json.endObject();
        }
        json.endArray();
    }
    json.key(Key("ttft_ms")).optional(answer.ttftMs);
    json.key(Key("usage")).beginObject();
    json.key(Key("cached_input_tokens")).optional(answer.usage.cachedInputTokens);
    json.key(Key("input_tokens")).optional(answer.usage.inputTokens);
    json.key(Key("output_tokens")).optional(answer.usage.outputTokens);
    json.key(Key("reasoning_tokens")).optional(answer.usage.reasoningTokens);
    json.endObject();
    json.endObject();
    return json.take();
}

Answer AnswerJson::fromJson(const QJsonObject& object) {
    const auto optionalInteger = [](const QJsonValue& value) {
        return value.isDouble() ? std::optional<qint64>(value.toInteger()) : std::nullopt;
    };
    Answer answer;
    answer.profile = object.value(QLatin1String("profile")).toString();
    answer.kind =
        providerKindFromName(object.value(QLatin1String("kind")).toString()).value_or(ProviderKind::OpenAi);
    answer.model = object.value(QLatin1String("model")).toString();
    answer.text = object.value(QLatin1String("text")).toString();
    answer.thinking = object.value(QLatin1String("thinking")).toString();
    for (const QJsonValue& value : object.value(QLatin1String("tool_calls")).toArray()) {
        const QJsonObject call = value.toObject();
        answer.toolCalls.append(ToolCall{call.value(QLatin1String("id")).toString(),
                                         call.value(QLatin1String("name")).toString(),
                                         call.value(QLatin1String("arguments")).toString()});
    }
    const QString finish = object.value(QLatin1String("finish_reason")).toString();
    for (FinishReason reason : {FinishReason::Stop, FinishReason::Length, FinishReason::ToolCalls,
                                FinishReason::ContentFilter, FinishReason::Refusal, FinishReason::Error}) {
        if (finishReasonName(reason) == finish)
            answer.finishReason = reason;
    }
    if (const QJsonValue raw = object.value(QLatin1String("raw_finish_reason")); raw.isString())
        answer.rawFinishReason = raw.toString();
    const QJsonObject usage = object.value(QLatin1String("usage")).toObject();
    answer.usage.inputTokens = optionalInteger(usage.value(QLatin1String("input_tokens")));
    answer.usage.outputTokens = optionalInteger(usage.value(QLatin1String("output_tokens")));
    answer.usage.cachedInputTokens = optionalInteger(usage.value(QLatin1String("cached_input_tokens")));
    answer.usage.reasoningTokens = optionalInteger(usage.value(QLatin1String("reasoning_tokens")));
    answer.ttftMs = optionalInteger(object.value(QLatin1String("ttft_ms")));
    answer.latencyMs = optionalInteger(object.value(QLatin1String("latency_ms")));
    if (const QJsonValue cost = object.value(QLatin1String("cost_usd")); cost.isDouble())
        answer.costUsd = cost.toDouble();
    answer.cached = object.value(QLatin1String("cached")).toBool();
    answer.attempts = object.value(QLatin1String("attempts")).toInt();
    if (const QJsonValue from = object.value(QLatin1String("fallback_from")); from.isString())
        answer.fallbackFrom = from.toString();
    if (const QJsonValue errorValue = object.value(QLatin1String("error")); errorValue.isObject()) {
        const QJsonObject error = errorValue.toObject();
        ProviderError parsed;
        const QString type = error.value(QLatin1String("type")).toString();
        for (int i = 0; i <= static_cast<int>(ErrorType::Blocked); ++i) {
            if (errorTypeName(static_cast<ErrorType>(i)) == type)
                parsed.type = static_cast<ErrorType>(i);
        }
        parsed.message = error.value(QLatin1String("message")).toString();
        if (error.value(QLatin1String("http_status")).isDouble())
            parsed.httpStatus = error.value(QLatin1String("http_status")).toInt();
        answer.error = parsed;
    }
    return answer;
}

} // namespace parallax
