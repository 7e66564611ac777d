#pragma once

#include <QString>

namespace parallax {

/// The outcome of one SecretStore operation. `value` is only filled by a successful read.
struct SecretResult {
    enum class Status {
        Ok,
        NotFound,  ///< no key stored under that name (not an error for reads)
        NoBackend, ///< no keychain answered (no D-Bus session, no Secret Service): use the session store
        Denied,    ///< the user or the keychain refused access
        Error,     ///< anything else; `message` says what
    };
    Status status = Status::Ok;
    QString value;
    QString message; ///< one sentence for the user; never contains the secret

    bool ok() const { return status == Status::Ok; }
};

} // namespace parallax
