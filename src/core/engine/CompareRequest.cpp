#include "CompareRequest.h"

namespace parallax {

QJsonObject CompareRequest::Parameters::toJson() const {
    return QJsonObject{{"max_tokens", maxTokens ? QJsonValue(*maxTokens) : QJsonValue()},
                       {"temperature", temperature ? QJsonValue(*temperature) : QJsonValue()}};
}

CompareRequest::Parameters CompareRequest::Parameters::fromJson(const QJsonObject& json) {
    Parameters parameters;
    if (json.value(QLatin1String("temperature")).isDouble())
        parameters.temperature = json.value(QLatin1String("temperature")).toDouble();
    if (json.value(QLatin1String("max_tokens")).isDouble())
        parameters.maxTokens = json.value(QLatin1String("max_tokens")).toInt();
    return parameters;
}

} // namespace parallax
