#pragma once

#include "providers/Provider.h"

namespace parallax {

/// Gemini Developer API (`/v1beta/models/{model}:streamGenerateContent?alt=sse`, `x-goog-api-key`).
class GeminiProvider : public Provider {
public:
    ProviderKind kind() const override { return ProviderKind::Gemini; }
    QNetworkRequest buildRequest(const ProviderProfile& profile, const QString& apiKey) const override;
    QByteArray buildBody(const ProviderProfile& profile, const ChatRequest& request) const override;
    std::unique_ptr<ResponseStream> createStream() const override;
};

} // namespace parallax
