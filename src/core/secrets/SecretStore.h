#pragma once

#include "secrets/SecretResult.h"

#include <QObject>
#include <QString>

#include <functional>

namespace parallax {

/// Where API keys live. Asynchronous because the OS keychain answers over D-Bus (and may ask the user
/// to unlock it): the GUI thread must never wait for it. Callbacks run on the store's thread and are
/// dropped when `context` is destroyed first, so a closed dialog never receives a late answer.
class SecretStore : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const SecretResult&)>;

    using QObject::QObject;

    /// The key stored under `name` (NotFound when there is none).
    virtual void read(const QString& name, QObject* context, Callback callback) = 0;
    virtual void write(const QString& name, const QString& secret, QObject* context, Callback callback) = 0;
    /// Removing a key that does not exist succeeds.
    virtual void remove(const QString& name, QObject* context, Callback callback) = 0;
    /// False for stores that forget everything when the program ends.
    virtual bool isPersistent() const = 0;
};

} // namespace parallax
