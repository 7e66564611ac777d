#include "ProfileSettings.h"

#include "net/RateLimiter.h"

#include <QJsonArray>
#include <QJsonObject>

namespace parallax {

namespace {

const QString kRateLimits = QStringLiteral("rate_limits");
const QString kFallback = QStringLiteral("fallback");
const QString kSanitize = QStringLiteral("sanitize");
const QString kRequests = QStringLiteral("requests_per_minute");
const QString kTokens = QStringLiteral("tokens_per_minute");
const QString kAlways = QStringLiteral("always_sanitize");
const QString kRaw = QStringLiteral("send_raw");

std::optional<double> positive(const QJsonValue& value) {
    if (!value.isDouble() || value.toDouble() <= 0)
        return std::nullopt;
    return value.toDouble();
}

QStringList strings(const QJsonValue& value) {
    QStringList list;
    for (const QJsonValue& entry : value.toArray())
        list.append(entry.toString());
    return list;
}

// Sets a list, or removes its key when the list is empty.
void putList(QJsonObject& object, const QString& key, const QStringList& list) {
    if (list.isEmpty())
        object.remove(key);
    else
        object.insert(key, QJsonArray::fromStringList(list));
}

void storeSection(Settings& settings, const QString& name, const QJsonObject& section) {
    if (section.isEmpty() && !settings.json().contains(name))
        return; // nothing was there and nothing is to be added: leave the file as it was
    settings.setSection(name, section);
}

} // namespace

QString ProfileSettings::rateLimitKey(const Settings& settings, const QUrl& baseUrl) {
    const QString existing = RateLimiter::configuredKey(settings.section(kRateLimits), baseUrl);
    return existing.isEmpty() ? RateLimiter::endpointKey(baseUrl) : existing;
}

ProfileSettings::RateLimits ProfileSettings::rateLimits(const Settings& settings, const QUrl& baseUrl) {
    const QJsonObject entry = settings.section(kRateLimits)
                                  .value(RateLimiter::configuredKey(settings.section(kRateLimits), baseUrl))
                                  .toObject();
    return RateLimits{positive(entry.value(kRequests)), positive(entry.value(kTokens))};
}

void ProfileSettings::setRateLimits(Settings& settings, const QUrl& baseUrl, const RateLimits& limits) {
    QJsonObject section = settings.section(kRateLimits);
    const QString key = rateLimitKey(settings, baseUrl);
    QJsonObject entry = section.value(key).toObject(); // fields of its own, if any, stay
    const auto put = [&entry](const QString& field, std::optional<double> value) {
        if (value && *value > 0)
            entry.insert(field, *value);
        else
            entry.remove(field);
    };
    put(kRequests, limits.requestsPerMinute);
    put(kTokens, limits.tokensPerMinute);
    if (entry.isEmpty())
        section.remove(key);
    else
        section.insert(key, entry);
    storeSection(settings, kRateLimits, section);
}

QStringList ProfileSettings::fallbackChain(const Settings& settings, const QString& profile) {
    return strings(settings.section(kFallback).value(profile));
}

void ProfileSettings::setFallbackChain(Settings& settings, const QString& profile, const QStringList& chain) {
    QJsonObject section = settings.section(kFallback);
    putList(section, profile, chain);
    storeSection(settings, kFallback, section);
}

SanitizePolicy ProfileSettings::sanitizePolicy(const Settings& settings, const QString& profile) {
    // The order SanitizerConfig::sanitizes() decides in: "always_sanitize" wins over "send_raw".
    const QJsonObject section = settings.section(kSanitize);
    if (strings(section.value(kAlways)).contains(profile))
        return SanitizePolicy::AlwaysSanitize;
    if (strings(section.value(kRaw)).contains(profile))
        return SanitizePolicy::SendRaw;
    return SanitizePolicy::Automatic;
}

void ProfileSettings::setSanitizePolicy(Settings& settings, const QString& profile, SanitizePolicy policy) {
    QJsonObject section = settings.section(kSanitize);
    QStringList always = strings(section.value(kAlways));
    QStringList raw = strings(section.value(kRaw));
    always.removeAll(profile);
    raw.removeAll(profile);
    if (policy == SanitizePolicy::AlwaysSanitize)
        always.append(profile);
    else if (policy == SanitizePolicy::SendRaw)
        raw.append(profile);
    putList(section, kAlways, always);
    putList(section, kRaw, raw);
    storeSection(settings, kSanitize, section);
}

void ProfileSettings::renameProfile(Settings& settings, const QString& from, const QString& to) {
    if (from == to)
        return;
    const auto renamed = [&from, &to](QStringList list) {
        for (QString& entry : list) {
            if (entry == from)
                entry = to;
        }
        return list;
    };
    QJsonObject fallback = settings.section(kFallback);
    if (fallback.contains(from)) {
        fallback.insert(to, fallback.value(from));
        fallback.remove(from);
    }
    for (const QString& profile : fallback.keys()) {
        const QStringList chain = strings(fallback.value(profile));
        if (chain.contains(from))
            putList(fallback, profile, renamed(chain));
    }
    storeSection(settings, kFallback, fallback);

    QJsonObject sanitize = settings.section(kSanitize);
    for (const QString& key : {kAlways, kRaw}) {
        const QStringList list = strings(sanitize.value(key));
        if (list.contains(from))
            putList(sanitize, key, renamed(list));
    }
    storeSection(settings, kSanitize, sanitize);
}

void ProfileSettings::removeProfile(Settings& settings, const QString& name) {
    QJsonObject fallback = settings.section(kFallback);
    fallback.remove(name);
    for (const QString& profile : fallback.keys()) {
        QStringList chain = strings(fallback.value(profile));
        if (chain.removeAll(name) > 0)
            putList(fallback, profile, chain);
    }
    storeSection(settings, kFallback, fallback);
    setSanitizePolicy(settings, name, SanitizePolicy::Automatic);
}

} // namespace parallax
