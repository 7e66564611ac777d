#pragma once

#include "secrets/SecretStore.h"

#include <QHash>

namespace parallax {

/// Keys held in memory for this session only: the fallback when no keychain answers, and the home of
/// the demo profiles' placeholder keys. Nothing is ever written to disk.
class SessionSecretStore : public SecretStore {
    Q_OBJECT
public:
    using SecretStore::SecretStore;

    void read(const QString& name, QObject* context, Callback callback) override;
    void write(const QString& name, const QString& secret, QObject* context, Callback callback) override;
    void remove(const QString& name, QObject* context, Callback callback) override;
    bool isPersistent() const override { return false; }

    bool contains(const QString& name) const { return m_secrets.contains(name); }

private:
    /// Answers on the next event-loop turn, like a real keychain, so callers cannot come to rely on a
    /// synchronous callback.
    void answer(QObject* context, Callback callback, SecretResult result);

    QHash<QString, QString> m_secrets;
};

} // namespace parallax
