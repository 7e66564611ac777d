#include "Provider.h"

#include "net/RetryAfterParser.h"
#include "providers/ErrorBodyParser.h"

#include <QJsonObject>

namespace parallax {

ProviderError Provider::errorFromResponse(int httpStatus, const QByteArray& body,
                                          const HttpHeaders& headers) const {
    ProviderError error = ErrorBodyParser::fromHttpResponse(httpStatus, body);
    if (auto wait = RetryAfterParser::fromHeaders(headers, httpStatus == 429))
        error.retryAfterMs = wait;
    // The Stainless SDKs let the server overrule the retry decision.
    if (auto shouldRetry = headerValue(headers, "x-should-retry")) {
        if (shouldRetry->trimmed() == "true")
            error.retryable = true;
        else if (shouldRetry->trimmed() == "false")
            error.retryable = false;
    }
    return error;
}

QJsonArray Provider::chatMessages(const ChatRequest& request, bool systemAsMessage) {
    QJsonArray messages;
    if (systemAsMessage && !request.system.isEmpty())
        messages.append(QJsonObject{{"role", "system"}, {"content", request.system}});
    for (const ChatMessage& message : request.messages) {
        messages.append(QJsonObject{{"role", message.role == ChatMessage::Role::User ? "user" : "assistant"},
                                    {"content", message.content}});
    }
    return messages;
}

QUrl Provider::endpoint(const QUrl& baseUrl, const QString& path) {
    QUrl url = baseUrl;
    QString basePath = url.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path);
    return url;
}

} // namespace parallax
