#pragma once

#include "providers/Provider.h"

namespace parallax {

/// Ollama's native chat API (`/api/chat`, NDJSON). No key locally; a Bearer key for ollama.com if given.
class OllamaProvider : public Provider {
public:
    ProviderKind kind() const override { return ProviderKind::Ollama; }
    QNetworkRequest buildRequest(const ProviderProfile& profile, const QString& apiKey) const override;
    QByteArray buildBody(const ProviderProfile& profile, const ChatRequest& request) const override;
    std::unique_ptr<ResponseStream> createStream() const override;
};

} // namespace parallax
