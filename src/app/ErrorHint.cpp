#include "ErrorHint.h"

#include <QCoreApplication>

namespace parallax {

namespace {
QString tr(const char* text) {
    return QCoreApplication::translate("parallax::ErrorHint", text);
}
} // namespace

QString ErrorHint::sentence(const ProviderError& error, const QString& profileName) {
    QString hint;
    switch (error.type) {
    case ErrorType::Auth:
        hint = tr("check the API key of profile %1 (Providers ▸ Manage profiles).").arg(profileName);
        break;
    case ErrorType::Permission:
        hint = tr("the key of profile %1 is not allowed to use this model.").arg(profileName);
        break;
    case ErrorType::NotFound:
        hint = tr("check the model name and base URL of profile %1.").arg(profileName);
        break;
    case ErrorType::InvalidRequest:
        hint = tr("the provider rejected the request; check the parameters of profile %1.").arg(profileName);
        break;
    case ErrorType::ContextLength:
        hint = tr("the prompt is too long for this model; shorten it or pick a model with a larger context.");
        break;
    case ErrorType::RateLimited:
        hint = tr("rate limited by the provider; wait a moment and retry.");
        break;
    case ErrorType::Overloaded:
        hint = tr("the provider is overloaded; retry in a little while.");
        break;
    case ErrorType::Server:
        hint = tr("the provider had an internal error; retry, it is often temporary.");
        break;
    case ErrorType::Network:
        hint = tr("could not reach the server of profile %1; check the base URL and your connection.")
                   .arg(profileName);
        break;
    case ErrorType::Timeout:
        hint = tr("no answer in time; retry, or the server may be stalled.");
        break;
    case ErrorType::Cancelled:
        return tr("Cancelled.");
    case ErrorType::Budget:
        hint = tr("refused by your budget before anything was sent; raise it with "
                  "\"parallax-cli budget set\".");
        break;
    case ErrorType::Blocked:
        hint = tr("skipped for a cool-down after repeated failures of this endpoint; retry later.");
        break;
    }
    const QString status = error.httpStatus ? QString::number(*error.httpStatus) : errorTypeName(error.type);
    QString message = error.message.trimmed();
    if (!message.isEmpty() && !message.endsWith(QLatin1Char('.')))
        message += QLatin1Char('.');
    return QStringLiteral("%1: %2%3")
        .arg(status, hint, message.isEmpty() ? QString() : tr(" The provider said: %1").arg(message));
}

} // namespace parallax
