#pragma once

#include "providers/ProviderKind.h"

#include <QString>

#include <optional>

namespace parallax {

/// API keys from the environment variables of PRODUCT.md (OPENAI_API_KEY, ANTHROPIC_API_KEY,
/// GEMINI_API_KEY, PARALLAX_API_KEY). Never from a command-line argument, which other users can read.
class EnvironmentKeys {
public:
    /// The key for a kind, or empty optional when its variable is unset or empty.
    static std::optional<QString> keyFor(ProviderKind kind);
};

} // namespace parallax
