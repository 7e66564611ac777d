#include "KeyRing.h"

#include "app/UiLog.h"
#include "secrets/EnvironmentKeys.h"
#include "secrets/SecretStore.h"
#include "secrets/SessionSecretStore.h"

#include <QPointer>

namespace parallax {

KeyRing::KeyRing(std::unique_ptr<SecretStore> persistent, QObject* parent)
    : QObject(parent)
    , m_persistent(std::move(persistent))
    , m_session(std::make_unique<SessionSecretStore>()) {
    m_sessionOnly = !m_persistent;
}

KeyRing::~KeyRing() = default;

void KeyRing::markSessionOnly() {
    if (m_sessionOnly)
        return;
    m_sessionOnly = true;
    qCWarning(lcUi) << "no keychain answered; API keys are kept in memory for this session only";
    emit sessionOnlyChanged(true);
}

void KeyRing::key(const QString& profileName, ProviderKind kind, QObject* context, KeyCallback callback) {
    const QString name = entryName(profileName);
    auto fromEnvironment = [kind] { return EnvironmentKeys::keyFor(kind); };
    QPointer<KeyRing> self(this);
    m_session->read(name, context, [=](const SecretResult& session) {
        if (session.ok()) {
            callback(session.value);
            return;
        }
        if (!self || !self->m_persistent || self->m_sessionOnly) {
            callback(fromEnvironment());
            return;
        }
        self->m_persistent->read(name, context, [=](const SecretResult& stored) {
            if (stored.ok()) {
                callback(stored.value);
                return;
            }
            if (stored.status == SecretResult::Status::NoBackend && self)
                self->markSessionOnly();
            callback(fromEnvironment());
        });
    });
}

void KeyRing::keys(const QList<QPair<QString, ProviderKind>>& profiles, QObject* context,
                   KeysCallback callback) {
    struct Collect {
        QHash<QString, QString> keys;
        qsizetype remaining = 0;
    };
    auto state = std::make_shared<Collect>();
    state->remaining = profiles.size();
    if (profiles.isEmpty()) {
        callback({});
        return;
    }
    for (const auto& [name, kind] : profiles) {
        key(name, kind, context, [state, callback, name = name](std::optional<QString> value) {
            if (value)
                state->keys.insert(name, *value);
            if (--state->remaining == 0)
                callback(state->keys);
        });
    }
}

void KeyRing::setKey(const QString& profileName, const QString& key, QObject* context,
                     std::function<void(const SecretResult&)> callback) {
    const QString name = entryName(profileName);
    if (!m_persistent || m_sessionOnly) {
        m_session->write(name, key, context, std::move(callback));
        return;
    }
    QPointer<KeyRing> self(this);
    m_persistent->write(name, key, context, [=](const SecretResult& result) {
        // Any failure but a refusal means the keychain did not really answer (Debian reports a missing
        // Secret Service as OtherError): keep the key in memory rather than lose it — never on disk.
        const bool unanswered =
            result.status == SecretResult::Status::NoBackend || result.status == SecretResult::Status::Error;
        if (unanswered && self) {
            self->markSessionOnly();
            self->m_session->write(name, key, context, callback);
            return;
        }
        if (callback)
            callback(result);
    });
}

void KeyRing::setSessionKey(const QString& profileName, const QString& key) {
    m_session->write(entryName(profileName), key, nullptr, {});
}

void KeyRing::removeKey(const QString& profileName) {
    const QString name = entryName(profileName);
    m_session->remove(name, nullptr, {});
    if (m_persistent && !m_sessionOnly)
        m_persistent->remove(name, nullptr, {});
}

} // namespace parallax
