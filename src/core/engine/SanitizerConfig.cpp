#include "SanitizerConfig.h"

#include "providers/ProviderProfile.h"

#include <QHostAddress>
#include <QJsonArray>

#include <algorithm>

namespace parallax {

SanitizerSettings SanitizerConfig::fromJson(const QJsonObject& section) {
    SanitizerSettings settings;
    const QJsonObject modes = section.value(QLatin1String("modes")).toObject();
    for (auto it = modes.begin(); it != modes.end(); ++it) {
        const QString mode = it.value().toString().toLower();
        if (mode == QLatin1String("mask"))
            settings.modes.insert(it.key(), RedactionMode::Mask);
        else if (mode == QLatin1String("allow"))
            settings.modes.insert(it.key(), RedactionMode::Allow);
        else if (mode == QLatin1String("placeholder"))
            settings.modes.insert(it.key(), RedactionMode::Placeholder);
    }
    for (const QJsonValue& region : section.value(QLatin1String("phone_regions")).toArray())
        settings.phoneRegions.append(region.toString().toUpper());
    settings.redactSuggestions = section.value(QLatin1String("redact_suggestions")).toBool(false);
    if (section.value(QLatin1String("allowlist")).isObject())
        settings.allowlist = Allowlist::fromJson(section.value(QLatin1String("allowlist")).toObject());
    return settings;
}

bool SanitizerConfig::sanitizes(const ProviderProfile& profile, const QJsonObject& section) {
    const auto listed = [&section, &profile](const char* key) {
        for (const QJsonValue& value : section.value(QLatin1String(key)).toArray()) {
            if (value.toString() == profile.name)
                return true;
        }
        return false;
    };
    if (listed("always_sanitize"))
        return true;
    if (listed("send_raw"))
        return false;
    if (profile.kind == ProviderKind::Ollama) {
        const QString host = profile.baseUrl.host();
        const QHostAddress address(host);
        if (host == QLatin1String("localhost") || (!address.isNull() && address.isLoopback()))
            return false;
    }
    return true;
}

bool SanitizerConfig::sanitizesChain(const QList<ProviderProfile>& chain, const QJsonObject& section) {
    return std::any_of(chain.begin(), chain.end(),
                       [&section](const ProviderProfile& profile) { return sanitizes(profile, section); });
}

} // namespace parallax
