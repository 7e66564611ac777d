#pragma once

#include "providers/Provider.h"

namespace parallax {

/// Anthropic Messages API (`/v1/messages`, `x-api-key`, `anthropic-version: 2023-06-01`).
class AnthropicProvider : public Provider {
public:
    /// Anthropic requires max_tokens; this is sent when the user set none.
    static constexpr int kDefaultMaxTokens = 4096;

    ProviderKind kind() const override { return ProviderKind::Anthropic; }
    QNetworkRequest buildRequest(const ProviderProfile& profile, const QString& apiKey) const override;
    QByteArray buildBody(const ProviderProfile& profile, const ChatRequest& request) const override;
    std::unique_ptr<ResponseStream> createStream() const override;
};

} // namespace parallax
