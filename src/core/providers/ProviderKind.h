#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace parallax {

/// The wire protocols Parallax speaks. `OpenAiCompatible` is Chat Completions at any base URL.
enum class ProviderKind { OpenAi, Anthropic, Gemini, Ollama, OpenAiCompatible };

/// The name used in SPECs, JSON and settings: "openai", "anthropic", "gemini", "ollama", "openai-compatible".
QString providerKindName(ProviderKind kind);
std::optional<ProviderKind> providerKindFromName(QStringView name);
QStringList providerKindNames();

/// The base URL each official SDK uses by default.
QString defaultBaseUrl(ProviderKind kind);

/// The environment variable a key for this kind is read from; empty when the kind needs no key.
QString apiKeyVariable(ProviderKind kind);

/// Whether requests of this kind fail without a key (Ollama and OpenAI-compatible servers often need none).
bool requiresApiKey(ProviderKind kind);

} // namespace parallax
