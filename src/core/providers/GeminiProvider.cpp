#include "GeminiProvider.h"

#include "providers/GeminiStream.h"
#include "providers/RequestHeaders.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace parallax {

QNetworkRequest GeminiProvider::buildRequest(const ProviderProfile& profile, const QString& apiKey) const {
    // The key goes in a header, not the `?key=` query, so it never lands in a URL that might be logged.
    QUrl url = endpoint(profile.baseUrl, QStringLiteral("/v1beta/models/%1:streamGenerateContent")
                                             .arg(QString::fromUtf8(QUrl::toPercentEncoding(profile.model))));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("alt"), QStringLiteral("sse")); // without it the stream is a JSON array
    url.setQuery(query);
    QNetworkRequest request = RequestHeaders::jsonStreamingRequest(url, "text/event-stream");
    request.setRawHeader("x-goog-api-key", apiKey.toUtf8());
    return request;
}

QByteArray GeminiProvider::buildBody(const ProviderProfile& profile, const ChatRequest& request) const {
    Q_UNUSED(profile) // the model is in the URL
    QJsonArray contents;
    for (const ChatMessage& message : request.messages) {
        contents.append(QJsonObject{{"role", message.role == ChatMessage::Role::User ? "user" : "model"},
                                    {"parts", QJsonArray{QJsonObject{{"text", message.content}}}}});
    }
    QJsonObject body{{"contents", contents}};
    if (!request.system.isEmpty())
        body.insert(QStringLiteral("systemInstruction"),
                    QJsonObject{{"parts", QJsonArray{QJsonObject{{"text", request.system}}}}});
    QJsonObject generationConfig;
    if (request.maxTokens)
        generationConfig.insert(QStringLiteral("maxOutputTokens"), *request.maxTokens);
    if (request.temperature)
        generationConfig.insert(QStringLiteral("temperature"), *request.temperature);
    if (!generationConfig.isEmpty())
        body.insert(QStringLiteral("generationConfig"), generationConfig);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

std::unique_ptr<ResponseStream> GeminiProvider::createStream() const {
    return std::make_unique<GeminiStream>();
}

} // namespace parallax
