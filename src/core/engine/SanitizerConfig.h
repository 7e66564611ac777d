#pragma once

#include "sanitize/SanitizerSettings.h"

#include <QJsonObject>

namespace parallax {

struct ProviderProfile;

/// Reads the sanitizer's settings from settings.json's "sanitize" section:
/// `{"modes": {"EMAIL_ADDRESS": "mask", "URL": "allow"}, "phone_regions": ["DE", "US"],
///   "redact_suggestions": false, "allowlist": {...}, "send_raw": ["ollama:llama3.2"]}`.
class SanitizerConfig {
public:
    static SanitizerSettings fromJson(const QJsonObject& section);

    /// Whether requests to this profile are sanitized: yes for every profile, except a local Ollama
    /// (its data never leaves the machine) and profiles named in "send_raw"; "always_sanitize" wins.
    static bool sanitizes(const ProviderProfile& profile, const QJsonObject& section);
};

} // namespace parallax
