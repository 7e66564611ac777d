#pragma once

#include "net/HttpHeaders.h"
#include "providers/ChatRequest.h"
#include "providers/ProviderError.h"
#include "providers/ProviderProfile.h"
#include "providers/ResponseStream.h"

#include <QByteArray>
#include <QJsonArray>
#include <QNetworkRequest>

#include <memory>

namespace parallax {

/// One wire protocol: how to phrase a streaming request and how to read what comes back.
/// Stateless; one instance per kind lives in the ProviderRegistry.
class Provider {
public:
    virtual ~Provider() = default;

    virtual ProviderKind kind() const = 0;

    /// The HTTP request (URL and headers) for a streaming answer. `apiKey` may be empty where none is needed.
    virtual QNetworkRequest buildRequest(const ProviderProfile& profile, const QString& apiKey) const = 0;

    /// The JSON body: system prompt, messages, max tokens, temperature, streaming on with usage requested.
    virtual QByteArray buildBody(const ProviderProfile& profile, const ChatRequest& request) const = 0;

    /// A fresh parser for one response body.
    virtual std::unique_ptr<ResponseStream> createStream() const = 0;

    /// A typed error from a non-2xx response.
    virtual ProviderError errorFromResponse(int httpStatus, const QByteArray& body,
                                            const HttpHeaders& headers) const;

protected:
    /// Appends `path` to the base URL's path, keeping exactly one slash between them.
    static QUrl endpoint(const QUrl& baseUrl, const QString& path);
    /// `[{"role", "content"}]` in the Chat Completions shape that OpenAI, Ollama and Anthropic share;
    /// with `systemAsMessage` the system prompt leads as a "system" message (Anthropic has no such role).
    static QJsonArray chatMessages(const ChatRequest& request, bool systemAsMessage);
};

} // namespace parallax
