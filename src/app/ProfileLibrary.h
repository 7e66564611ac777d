#pragma once

#include "app/AppProfile.h"

#include <QList>
#include <QObject>
#include <QString>

#include <optional>

namespace parallax {

/// The profiles the window offers: those saved in profiles.json (the same file parallax-cli reads,
/// with the window's extra fields "temperature" and "max_tokens") plus demo profiles held in memory.
class ProfileLibrary : public QObject {
    Q_OBJECT
public:
    explicit ProfileLibrary(QString filePath, QObject* parent = nullptr);

    /// Reads the file; a missing file is an empty library, a broken one an error sentence (and the
    /// file is left alone so that saving cannot destroy what the user wrote by hand).
    bool load(QString* error);
    /// Writes the non-demo profiles atomically.
    bool save(QString* error) const;

    const QList<AppProfile>& profiles() const { return m_profiles; }
    qsizetype size() const { return m_profiles.size(); }
    bool isEmpty() const { return m_profiles.isEmpty(); }
    bool hasSavedProfiles() const;
    std::optional<AppProfile> find(const QString& name) const;
    qsizetype indexOf(const QString& name) const;

    /// Adds or replaces (by `previousName`, or by the profile's own name when empty).
    void upsert(const AppProfile& profile, const QString& previousName = {});
    void remove(const QString& name);

signals:
    /// Before and after any change, so models can reset around it.
    void aboutToChange();
    void changed();

private:
    QString m_filePath;
    QList<AppProfile> m_profiles;
    bool m_loadFailed = false;
};

} // namespace parallax
