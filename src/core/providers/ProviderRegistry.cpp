#include "ProviderRegistry.h"

#include "providers/AnthropicProvider.h"
#include "providers/GeminiProvider.h"
#include "providers/OllamaProvider.h"
#include "providers/OpenAiProvider.h"

namespace parallax {

const Provider& ProviderRegistry::provider(ProviderKind kind) {
    static const OpenAiProvider openAi(ProviderKind::OpenAi);
    static const OpenAiProvider openAiCompatible(ProviderKind::OpenAiCompatible);
    static const AnthropicProvider anthropic;
    static const GeminiProvider gemini;
    static const OllamaProvider ollama;
    switch (kind) {
    case ProviderKind::OpenAi:
        return openAi;
    case ProviderKind::OpenAiCompatible:
        return openAiCompatible;
    case ProviderKind::Anthropic:
        return anthropic;
    case ProviderKind::Gemini:
        return gemini;
    case ProviderKind::Ollama:
        return ollama;
    }
    return openAi;
}

} // namespace parallax
