#include "KeychainKeys.h"

#include "secrets/KeychainSecretStore.h"

#include <QEventLoop>
#include <QHash>
#include <QTimer>

namespace parallax::cli {

std::optional<QString> KeychainKeys::keyFor(const QString& profileName) {
#ifdef Q_OS_LINUX
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return std::nullopt; // a terminal over SSH, a CI job: no Secret Service to ask
#endif
    static QHash<QString, std::optional<QString>> known;
    if (const auto it = known.constFind(profileName); it != known.constEnd())
        return *it;
    KeychainSecretStore store(KeychainSecretStore::applicationService());
    QEventLoop loop;
    bool answered = false;
    std::optional<QString> key;
    store.read(KeychainSecretStore::profileEntry(profileName), &loop, [&](const SecretResult& result) {
        answered = true;
        if (result.ok() && !result.value.isEmpty())
            key = result.value;
        loop.quit();
    });
    if (!answered) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    known.insert(profileName, key);
    return key;
}

} // namespace parallax::cli
