#pragma once

#include "secrets/SecretStore.h"

namespace parallax {

/// Keys in the operating system's keychain through QtKeychain (Secret Service on Linux, Keychain on
/// macOS, Credential Manager on Windows). Each operation is one heap-allocated job that deletes itself.
/// QtKeychain 0.13 has no isAvailable(): a missing backend shows up as an error of the first job, which
/// is mapped to NoBackend so the caller can fall back to a SessionSecretStore.
class KeychainSecretStore : public SecretStore {
    Q_OBJECT
public:
    /// `service` names the application's entries in the keychain (e.g. "parallax").
    explicit KeychainSecretStore(QString service, QObject* parent = nullptr);

    /// Where the window and parallax-cli keep their keys: this service, one entry per saved profile.
    static QString applicationService() { return QStringLiteral("parallax"); }
    static QString profileEntry(const QString& profileName) {
        return QStringLiteral("profile/") + profileName;
    }

    void read(const QString& name, QObject* context, Callback callback) override;
    void write(const QString& name, const QString& secret, QObject* context, Callback callback) override;
    void remove(const QString& name, QObject* context, Callback callback) override;
    bool isPersistent() const override { return true; }

private:
    QString m_service;
};

} // namespace parallax
