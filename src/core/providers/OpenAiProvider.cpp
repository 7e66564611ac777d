#include "OpenAiProvider.h"

#include "providers/OpenAiChatStream.h"
#include "providers/RequestHeaders.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace parallax {

OpenAiProvider::OpenAiProvider(ProviderKind kind)
    : m_kind(kind) {}

QNetworkRequest OpenAiProvider::buildRequest(const ProviderProfile& profile, const QString& apiKey) const {
    QNetworkRequest request = RequestHeaders::jsonStreamingRequest(
        endpoint(profile.baseUrl, QStringLiteral("/chat/completions")), "text/event-stream");
    if (!apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + apiKey.toUtf8());
    return request;
}

QByteArray OpenAiProvider::buildBody(const ProviderProfile& profile, const ChatRequest& request) const {
    const QJsonArray messages = chatMessages(request, true);
    QJsonObject body{{"model", profile.model},
                     {"messages", messages},
                     {"stream", true},
                     {"stream_options", QJsonObject{{"include_usage", true}}}};
    if (request.maxTokens) {
        // OpenAI's reasoning models accept only the newer name; compatible servers mostly know the older.
        body.insert(m_kind == ProviderKind::OpenAi ? QStringLiteral("max_completion_tokens")
                                                   : QStringLiteral("max_tokens"),
                    *request.maxTokens);
    }
    if (request.temperature)
        body.insert(QStringLiteral("temperature"), *request.temperature);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

std::unique_ptr<ResponseStream> OpenAiProvider::createStream() const {
    return std::make_unique<OpenAiChatStream>();
}

} // namespace parallax
