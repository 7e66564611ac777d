#pragma once

#include "secrets/SecretStore.h"

#include <QHash>
#include <QTimer>

namespace parallax::test {

/// A keychain stand-in: records what was written, or answers every job with `failure`.
class FakeSecretStore : public SecretStore {
public:
    QHash<QString, QString> secrets;
    std::optional<SecretResult::Status> failure;
    int writes = 0;

    void read(const QString& name, QObject* context, Callback callback) override {
        SecretResult result;
        if (failure)
            result.status = *failure;
        else if (secrets.contains(name))
            result.value = secrets.value(name);
        else
            result.status = SecretResult::Status::NotFound;
        later(context, std::move(callback), result);
    }
    void write(const QString& name, const QString& secret, QObject* context, Callback callback) override {
        ++writes;
        SecretResult result;
        if (failure)
            result.status = *failure;
        else
            secrets.insert(name, secret);
        later(context, std::move(callback), result);
    }
    void remove(const QString& name, QObject* context, Callback callback) override {
        secrets.remove(name);
        later(context, std::move(callback), {});
    }
    bool isPersistent() const override { return true; }

private:
    void later(QObject* context, Callback callback, SecretResult result) {
        if (callback)
            QTimer::singleShot(0, context ? context : this, [callback, result] { callback(result); });
    }
};

} // namespace parallax::test
