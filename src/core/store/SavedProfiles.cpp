#include "SavedProfiles.h"

#include "providers/ProfileSpec.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace parallax {

std::optional<QList<ProviderProfile>> SavedProfiles::load(const QString& filePath, QString* error) {
    QList<ProviderProfile> profiles;
    QFile file(filePath);
    if (!file.exists())
        return profiles;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(filePath, file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("%1 is not valid JSON (at offset %2: %3)")
                     .arg(filePath)
                     .arg(parseError.offset)
                     .arg(parseError.errorString());
        return std::nullopt;
    }
    const QJsonArray entries = document.object().value(QLatin1String("profiles")).toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonObject entry = entries.at(i).toObject();
        const QString name = entry.value(QLatin1String("name")).toString();
        QString spec = entry.value(QLatin1String("kind")).toString() + QLatin1Char(':') +
                       entry.value(QLatin1String("model")).toString();
        if (const QString baseUrl = entry.value(QLatin1String("base_url")).toString(); !baseUrl.isEmpty())
            spec += QLatin1Char('@') + baseUrl;
        QString specError;
        auto profile = ProfileSpec::parse(spec, &specError);
        if (name.isEmpty() || !profile) {
            *error = QStringLiteral("%1: profile %2 is invalid: %3")
                         .arg(filePath)
                         .arg(i + 1)
                         .arg(name.isEmpty() ? QStringLiteral("it has no name") : specError);
            return std::nullopt;
        }
        profile->name = name;
        profiles.append(*profile);
    }
    return profiles;
}

std::optional<ProviderProfile> SavedProfiles::find(const QList<ProviderProfile>& profiles,
                                                   const QString& name) {
    for (const ProviderProfile& profile : profiles) {
        if (profile.name == name)
            return profile;
    }
    return std::nullopt;
}

} // namespace parallax
