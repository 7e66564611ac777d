#pragma once

#include "providers/ProviderProfile.h"

#include <QString>

#include <optional>

namespace parallax {

/// Parses the SPEC form `KIND:MODEL[@BASE_URL]`, e.g. `anthropic:claude-sonnet-4-5` or
/// `openai-compatible:llama3@http://127.0.0.1:8080/v1`. The model may itself hold colons (`llama3.2:1b`).
class ProfileSpec {
public:
    /// Whether the text has the SPEC shape (a known kind before the first colon).
    static bool looksLikeSpec(const QString& text);

    /// The profile, or empty with `error` set to one clear sentence.
    static std::optional<ProviderProfile> parse(const QString& spec, QString* error);
};

} // namespace parallax
