#pragma once

#include "sanitize/SanitizerSettings.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace parallax {

struct ProviderProfile;

/// Reads the sanitizer's settings from settings.json's "sanitize" section:
/// `{"modes": {"EMAIL_ADDRESS": "mask", "URL": "allow"}, "phone_regions": ["DE", "US"],
///   "redact_suggestions": false, "allowlist": {...}, "send_raw": ["ollama:llama3.2"],
///   "user_rules": [{"name": "employee-id", "type": "EMPLOYEE_ID", "pattern": "\\bEMP-\\d{6}\\b",
///                   "suggestion": false}]}`.
class SanitizerConfig {
public:
    static SanitizerSettings fromJson(const QJsonObject& section);
    /// What is wrong with the section's user rules, one sentence each, with the regex's own message
    /// and the offset it points at; empty when every rule is usable. A rule that cannot be used would
    /// leave what it is meant to hide unmasked, so callers refuse to send until it is fixed.
    static QStringList problems(const QJsonObject& section);

    /// Whether requests to this profile are sanitized: yes for every profile, except a local Ollama
    /// (its data never leaves the machine) and profiles named in "send_raw"; "always_sanitize" wins.
    static bool sanitizes(const ProviderProfile& profile, const QJsonObject& section);

    /// Whether a profile with its fallback chain is sanitized: one request goes down the whole chain, so
    /// it is sent raw only when every profile in it may see raw text (a local model that falls back to
    /// a hosted one must not hand it the prompt unmasked).
    static bool sanitizesChain(const QList<ProviderProfile>& chain, const QJsonObject& section);
};

} // namespace parallax
