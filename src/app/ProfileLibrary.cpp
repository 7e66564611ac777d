#include "ProfileLibrary.h"

#include "store/SavedProfiles.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace parallax {

ProfileLibrary::ProfileLibrary(QString filePath, QObject* parent)
    : QObject(parent)
    , m_filePath(std::move(filePath)) {}

bool ProfileLibrary::load(QString* error) {
    // SavedProfiles validates exactly as the CLI does; the window's extra fields are read beside it.
    auto saved = SavedProfiles::load(m_filePath, error);
    if (!saved) {
        m_loadFailed = true;
        return false;
    }
    QHash<QString, QJsonObject> extras;
    QFile file(m_filePath);
    if (file.open(QIODevice::ReadOnly)) {
        const QJsonArray entries =
            QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("profiles")).toArray();
        for (const QJsonValue& entry : entries)
            extras.insert(entry.toObject().value(QLatin1String("name")).toString(), entry.toObject());
    }
    QList<AppProfile> demos;
    for (const AppProfile& profile : std::as_const(m_profiles)) {
        if (profile.demo)
            demos.append(profile);
    }
    emit aboutToChange();
    m_profiles.clear();
    for (const ProviderProfile& profile : std::as_const(*saved)) {
        AppProfile entry;
        entry.profile = profile;
        const QJsonObject extra = extras.value(profile.name);
        if (extra.value(QLatin1String("temperature")).isDouble())
            entry.temperature = extra.value(QLatin1String("temperature")).toDouble();
        if (extra.value(QLatin1String("max_tokens")).isDouble())
            entry.maxTokens = extra.value(QLatin1String("max_tokens")).toInt();
        m_profiles.append(entry);
    }
    m_profiles.append(demos);
    m_loadFailed = false;
    emit changed();
    return true;
}

bool ProfileLibrary::save(QString* error) const {
    if (m_loadFailed) {
        *error =
            tr("%1 could not be read, so it is not overwritten; fix or remove it first.").arg(m_filePath);
        return false;
    }
    QJsonArray entries;
    for (const AppProfile& entry : m_profiles) {
        if (entry.demo)
            continue;
        QJsonObject object{{"name", entry.profile.name},
                           {"kind", providerKindName(entry.profile.kind)},
                           {"model", entry.profile.model}};
        if (!entry.profile.baseUrl.isEmpty() &&
            entry.profile.baseUrl.toString() != defaultBaseUrl(entry.profile.kind))
            object.insert(QStringLiteral("base_url"), entry.profile.baseUrl.toString());
        if (entry.temperature)
            object.insert(QStringLiteral("temperature"), *entry.temperature);
        if (entry.maxTokens)
            object.insert(QStringLiteral("max_tokens"), *entry.maxTokens);
        entries.append(object);
    }
    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = tr("Cannot write %1: %2").arg(m_filePath, file.errorString());
        return false;
    }
    file.write(QJsonDocument(QJsonObject{{"profiles", entries}}).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        *error = tr("Cannot write %1: %2").arg(m_filePath, file.errorString());
        return false;
    }
    return true;
}

bool ProfileLibrary::hasSavedProfiles() const {
    return std::any_of(m_profiles.begin(), m_profiles.end(), [](const AppProfile& p) { return !p.demo; });
}

std::optional<AppProfile> ProfileLibrary::find(const QString& name) const {
    const qsizetype index = indexOf(name);
    if (index < 0)
        return std::nullopt;
    return m_profiles.at(index);
}

qsizetype ProfileLibrary::indexOf(const QString& name) const {
    for (qsizetype i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).profile.name == name)
            return i;
    }
    return -1;
}

void ProfileLibrary::upsert(const AppProfile& profile, const QString& previousName) {
    const qsizetype index = indexOf(previousName.isEmpty() ? profile.profile.name : previousName);
    emit aboutToChange();
    if (index >= 0)
        m_profiles[index] = profile;
    else
        m_profiles.append(profile);
    emit changed();
}

void ProfileLibrary::remove(const QString& name) {
    const qsizetype index = indexOf(name);
    if (index < 0)
        return;
    emit aboutToChange();
    m_profiles.removeAt(index);
    emit changed();
}

} // namespace parallax
