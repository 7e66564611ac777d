#include "AnthropicProvider.h"

#include "providers/AnthropicMessageStream.h"
#include "providers/RequestHeaders.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace parallax {

QNetworkRequest AnthropicProvider::buildRequest(const ProviderProfile& profile, const QString& apiKey) const {
    QNetworkRequest request = RequestHeaders::jsonStreamingRequest(
        endpoint(profile.baseUrl, QStringLiteral("/v1/messages")), "text/event-stream");
    request.setRawHeader("x-api-key", apiKey.toUtf8());
    request.setRawHeader("anthropic-version", "2023-06-01");
    return request;
}

QByteArray AnthropicProvider::buildBody(const ProviderProfile& profile, const ChatRequest& request) const {
    const QJsonArray messages = chatMessages(request, false); // system is top-level in Messages
    QJsonObject body{{"model", profile.model},
                     {"messages", messages},
                     {"max_tokens", request.maxTokens.value_or(kDefaultMaxTokens)},
                     {"stream", true}};
    if (!request.system.isEmpty())
        body.insert(QStringLiteral("system"), request.system); // top-level: Messages has no system role
    if (request.temperature)
        body.insert(QStringLiteral("temperature"), *request.temperature);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

std::unique_ptr<ResponseStream> AnthropicProvider::createStream() const {
    return std::make_unique<AnthropicMessageStream>();
}

} // namespace parallax
