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
    for (const QJsonValue& value : section.value(QLatin1String("user_rules")).toArray()) {
        const QJsonObject rule = value.toObject();
        settings.userRules.append({rule.value(QLatin1String("name")).toString(),
                                   rule.value(QLatin1String("type")).toString(),
                                   rule.value(QLatin1String("pattern")).toString(),
                                   rule.value(QLatin1String("suggestion")).toBool(false)});
    }
    return settings;
}

QStringList SanitizerConfig::problems(const QJsonObject& section) {
    QStringList problems;
    const QJsonValue rules = section.value(QLatin1String("user_rules"));
    if (!rules.isUndefined() && !rules.isArray()) {
        problems << QStringLiteral("settings.json: sanitize ▸ user_rules must be a list of rules");
        return problems;
    }
    const SanitizerSettings settings = fromJson(section);
    for (qsizetype index = 0; index < settings.userRules.size(); ++index) {
        const UserRule& rule = settings.userRules.at(index);
        const std::optional<RegexError> error = rule.validate();
        if (!error)
            continue;
        const QString which = rule.name.isEmpty() ? QStringLiteral("user_rules[%1]").arg(index)
                                                  : QStringLiteral("'%1'").arg(rule.name);
        problems << (error->offset >= 0
                         ? QStringLiteral("settings.json: user rule %1: %2 at offset %3 of its pattern")
                               .arg(which, error->message)
                               .arg(error->offset)
                         : QStringLiteral("settings.json: user rule %1: %2").arg(which, error->message));
    }
    return problems;
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
