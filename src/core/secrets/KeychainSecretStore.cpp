#include "KeychainSecretStore.h"

#include <QPointer>
#include <qt6keychain/keychain.h>

namespace parallax {

namespace {

SecretResult resultOf(const QKeychain::Job& job) {
    using QKeychain::Error;
    switch (job.error()) {
    case Error::NoError:
        return {};
    case Error::EntryNotFound:
        return {
            SecretResult::Status::NotFound, {}, QStringLiteral("No key is stored for %1.").arg(job.key())};
    case Error::AccessDenied:
    case Error::AccessDeniedByUser:
        return {SecretResult::Status::Denied, {}, QStringLiteral("The keychain refused access.")};
    case Error::NoBackendAvailable:
    case Error::NotImplemented:
        return {SecretResult::Status::NoBackend, {}, QStringLiteral("No keychain is available.")};
    case Error::OtherError:
    case Error::CouldNotDeleteEntry:
        break;
    }
    // On Debian 12 a missing D-Bus session or Secret Service arrives as OtherError; the error string is
    // QtKeychain's (or D-Bus's) and never contains the secret.
    const QString text = job.errorString();
    const bool unreachable = text.contains(QLatin1String("D-Bus"), Qt::CaseInsensitive) ||
                             text.contains(QLatin1String("DBus"), Qt::CaseInsensitive) ||
                             text.contains(QLatin1String("org.freedesktop"), Qt::CaseInsensitive) ||
                             text.contains(QLatin1String("No keychain service"), Qt::CaseInsensitive) ||
                             text.contains(QLatin1String("Unknown error"), Qt::CaseInsensitive) ||
                             text.contains(QLatin1String("Could not connect"), Qt::CaseInsensitive);
    return {unreachable ? SecretResult::Status::NoBackend : SecretResult::Status::Error,
            {},
            QStringLiteral("Keychain error: %1").arg(text)};
}

template <typename JobType>
void run(JobType* job, const QString& name, QObject* context, SecretStore::Callback callback,
         bool treatNotFoundAsOk) {
    job->setAutoDelete(true);
    job->setKey(name);
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    QObject::connect(
        job, &QKeychain::Job::finished, job,
        [callback = std::move(callback), guard, hasContext, treatNotFoundAsOk](QKeychain::Job* done) {
            if (!callback || (hasContext && !guard))
                return;
            SecretResult result = resultOf(*done);
            if (treatNotFoundAsOk && result.status == SecretResult::Status::NotFound)
                result = {};
            if (result.ok()) {
                if (auto* read = qobject_cast<QKeychain::ReadPasswordJob*>(done))
                    result.value = read->textData();
            }
            callback(result);
        });
    job->start();
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service, QObject* parent)
    : SecretStore(parent)
    , m_service(std::move(service)) {}

void KeychainSecretStore::read(const QString& name, QObject* context, Callback callback) {
    run(new QKeychain::ReadPasswordJob(m_service, this), name, context, std::move(callback), false);
}

void KeychainSecretStore::write(const QString& name, const QString& secret, QObject* context,
                                Callback callback) {
    auto* job = new QKeychain::WritePasswordJob(m_service, this);
    job->setTextData(secret);
    run(job, name, context, std::move(callback), false);
}

void KeychainSecretStore::remove(const QString& name, QObject* context, Callback callback) {
    run(new QKeychain::DeletePasswordJob(m_service, this), name, context, std::move(callback), true);
}

} // namespace parallax
