#include "OllamaProvider.h"

#include "providers/OllamaChatStream.h"
#include "providers/RequestHeaders.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace parallax {

QNetworkRequest OllamaProvider::buildRequest(const ProviderProfile& profile, const QString& apiKey) const {
    QNetworkRequest request = RequestHeaders::jsonStreamingRequest(
        endpoint(profile.baseUrl, QStringLiteral("/api/chat")), "application/x-ndjson");
    if (!apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + apiKey.toUtf8());
    return request;
}

QByteArray OllamaProvider::buildBody(const ProviderProfile& profile, const ChatRequest& request) const {
    const QJsonArray messages = chatMessages(request, true);
    QJsonObject body{{"model", profile.model}, {"messages", messages}, {"stream", true}};
    QJsonObject options;
    if (request.maxTokens)
        options.insert(QStringLiteral("num_predict"), *request.maxTokens);
    if (request.temperature)
        options.insert(QStringLiteral("temperature"), *request.temperature);
    if (!options.isEmpty())
        body.insert(QStringLiteral("options"), options);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

std::unique_ptr<ResponseStream> OllamaProvider::createStream() const {
    return std::make_unique<OllamaChatStream>();
}

} // namespace parallax
