#pragma once

#include "sanitize/Allowlist.h"
#include "sanitize/RedactionMode.h"
#include "sanitize/UserRule.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace parallax {

/// Everything the user can set about sanitizing. A plain value type: copy it into a Sanitizer.
struct SanitizerSettings {
    /// Per-type mode; types not listed use Placeholder.
    QHash<QString, RedactionMode> modes;
    /// Redact weak findings (bare 9-digit SSNs, generic key=value secrets) instead of only
    /// suggesting them.
    bool redactSuggestions = false;
    /// Rule names whose suggestions are redacted even when redactSuggestions is off.
    QSet<QString> enabledSuggestionRules;
    /// Regions for numbers written without "+"; empty = the system locale's region.
    QStringList phoneRegions;
    QList<UserRule> userRules;
    Allowlist allowlist;

    RedactionMode modeFor(const QString& type) const { return modes.value(type, RedactionMode::Placeholder); }
};

} // namespace parallax
