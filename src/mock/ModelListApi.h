#pragma once

#include "HttpRequest.h"
#include "MockConfig.h"
#include "MockReply.h"
#include "ProviderProtocol.h"

namespace parallax::mock {

class AnthropicProtocol;
class GeminiProtocol;
class OpenAiProtocol;

/// The providers' model lists from the server side, each in its own shape:
/// OpenAI `GET /v1/models` (and `/models` for compatible servers at any base) `{"object":"list",
/// "data":[{"id",...}]}`; Anthropic the same path, told apart by its `anthropic-version`/`x-api-key`
/// headers, `{"data":[{"type":"model","id",...}],"has_more","first_id","last_id"}` paged by `limit`
/// (1–1000, default 20) and `after_id`; Gemini `GET /v1beta/models` `{"models":[{"name":"models/...",
/// "supportedGenerationMethods":[...]}],"nextPageToken"}` paged by `pageSize` (default 50, at most 1000)
/// and `pageToken`, with an embedding model that cannot generate among them; Ollama `GET /api/tags`.
/// With `requiredApiKey` set, a missing or wrong key gets that provider's own 401 body (Ollama has no
/// auth). The key is never logged or echoed.
class ModelListApi {
public:
    ModelListApi(const OpenAiProtocol& openAi, const AnthropicProtocol& anthropic,
                 const GeminiProtocol& gemini);

    static bool ownsRequest(const HttpRequest& request);
    MockReply handle(const HttpRequest& request, const MockConfig& config) const;

private:
    MockReply openAiModels() const;
    MockReply anthropicModels(const HttpRequest& request) const;
    MockReply geminiModels(const HttpRequest& request) const;
    MockReply unauthorized(const ProviderProtocol& protocol, const QString& message) const;

    const OpenAiProtocol& m_openAi;
    const AnthropicProtocol& m_anthropic;
    const GeminiProtocol& m_gemini;
};

} // namespace parallax::mock
