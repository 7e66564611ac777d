#include "SessionSecretStore.h"

#include <QTimer>

namespace parallax {

void SessionSecretStore::read(const QString& name, QObject* context, Callback callback) {
    SecretResult result;
    if (auto it = m_secrets.constFind(name); it != m_secrets.constEnd())
        result.value = it.value();
    else
        result = {SecretResult::Status::NotFound, {}, tr("No key is stored for %1.").arg(name)};
    answer(context, std::move(callback), result);
}

void SessionSecretStore::write(const QString& name, const QString& secret, QObject* context,
                               Callback callback) {
    m_secrets.insert(name, secret);
    answer(context, std::move(callback), {});
}

void SessionSecretStore::remove(const QString& name, QObject* context, Callback callback) {
    m_secrets.remove(name);
    answer(context, std::move(callback), {});
}

void SessionSecretStore::answer(QObject* context, Callback callback, SecretResult result) {
    if (!callback)
        return;
    QTimer::singleShot(0, context ? context : this,
                       [callback = std::move(callback), result = std::move(result)] { callback(result); });
}

} // namespace parallax
