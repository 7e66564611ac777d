#include "ProviderKind.h"

#include <array>

namespace parallax {

namespace {
struct KindInfo {
    ProviderKind kind;
    const char* name;
    const char* baseUrl;
    const char* keyVariable;
    bool keyRequired;
};

constexpr std::array<KindInfo, 5> kKinds{{
    {ProviderKind::OpenAi, "openai", "https://api.openai.com/v1", "OPENAI_API_KEY", true},
    {ProviderKind::Anthropic, "anthropic", "https://api.anthropic.com", "ANTHROPIC_API_KEY", true},
    {ProviderKind::Gemini, "gemini", "https://generativelanguage.googleapis.com", "GEMINI_API_KEY", true},
    {ProviderKind::Ollama, "ollama", "http://localhost:11434", "", false},
    // Local servers (llama.cpp, vLLM, LM Studio) usually run without a key; hosted ones need one.
    {ProviderKind::OpenAiCompatible, "openai-compatible", "http://127.0.0.1:8080/v1", "PARALLAX_API_KEY",
     false},
}};

const KindInfo& info(ProviderKind kind) {
    for (const auto& entry : kKinds) {
        if (entry.kind == kind)
            return entry;
    }
    return kKinds.front();
}
} // namespace

QString providerKindName(ProviderKind kind) {
    return QString::fromLatin1(info(kind).name);
}

std::optional<ProviderKind> providerKindFromName(QStringView name) {
    for (const auto& entry : kKinds) {
        if (name.compare(QLatin1String(entry.name), Qt::CaseInsensitive) == 0)
            return entry.kind;
    }
    return std::nullopt;
}

QStringList providerKindNames() {
    QStringList names;
    for (const auto& entry : kKinds)
        names << QString::fromLatin1(entry.name);
    return names;
}

QString defaultBaseUrl(ProviderKind kind) {
    return QString::fromLatin1(info(kind).baseUrl);
}

QString apiKeyVariable(ProviderKind kind) {
    return QString::fromLatin1(info(kind).keyVariable);
}

bool requiresApiKey(ProviderKind kind) {
    return info(kind).keyRequired;
}

} // namespace parallax
