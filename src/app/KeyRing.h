#pragma once

#include "providers/ProviderKind.h"
#include "secrets/KeychainSecretStore.h"
#include "secrets/SecretResult.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace parallax {

class SecretStore;
class SessionSecretStore;

/// The window's key policy: keys go to the OS keychain; when no keychain answers they are kept for
/// this session only (and `sessionOnly` turns on, so the window can warn) — never written to disk.
/// Demo profiles' placeholder keys are session-only by design. Reading falls back to the environment
/// variables the CLI uses, so a key exported in the shell works in the window too.
class KeyRing : public QObject {
    Q_OBJECT
public:
    /// `persistent` is the keychain (a fake in tests); null means there is none.
    explicit KeyRing(std::unique_ptr<SecretStore> persistent, QObject* parent = nullptr);
    ~KeyRing() override;

    using KeyCallback = std::function<void(std::optional<QString> key)>;
    using KeysCallback = std::function<void(QHash<QString, QString> keys)>;

    /// The key of a profile: this session's, else the keychain's, else the environment's.
    void key(const QString& profileName, ProviderKind kind, QObject* context, KeyCallback callback);
    /// The keys of several profiles at once (those without a key are missing from the result).
    void keys(const QList<QPair<QString, ProviderKind>>& profiles, QObject* context, KeysCallback callback);
    /// Stores a key; `callback` receives the keychain's result (Ok also when it fell back to memory).
    void setKey(const QString& profileName, const QString& key, QObject* context,
                std::function<void(const SecretResult&)> callback);
    /// A key for this session only, whatever keychain there is (demo placeholders).
    void setSessionKey(const QString& profileName, const QString& key);
    void removeKey(const QString& profileName);

    /// True once a keychain failed to answer: keys entered now last until the program ends.
    bool isSessionOnly() const { return m_sessionOnly; }

    static QString entryName(const QString& profileName) {
        return KeychainSecretStore::profileEntry(profileName);
    }

signals:
    void sessionOnlyChanged(bool sessionOnly);

private:
    void markSessionOnly();

    std::unique_ptr<SecretStore> m_persistent;
    std::unique_ptr<SessionSecretStore> m_session;
    bool m_sessionOnly = false;
};

} // namespace parallax
