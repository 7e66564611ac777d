#pragma once

#include "providers/Provider.h"

namespace parallax {

/// OpenAI Chat Completions, for api.openai.com (`openai`) and any compatible server (`openai-compatible`).
class OpenAiProvider : public Provider {
public:
    explicit OpenAiProvider(ProviderKind kind);

    ProviderKind kind() const override { return m_kind; }
    QNetworkRequest buildRequest(const ProviderProfile& profile, const QString& apiKey) const override;
    QByteArray buildBody(const ProviderProfile& profile, const ChatRequest& request) const override;
    std::unique_ptr<ResponseStream> createStream() const override;

private:
    ProviderKind m_kind;
};

} // namespace parallax
