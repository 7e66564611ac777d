#include "PublicSuffix.h"

#include <QUrl>

#include <libpsl.h>

namespace parallax {

bool PublicSuffix::hasRegistrableDomain(const QString& host) {
    QString domain = host.toLower();
    while (domain.endsWith(QLatin1Char('.')))
        domain.chop(1);
    if (domain.isEmpty() || !domain.contains(QLatin1Char('.')))
        return false;
    if (domain.contains(QLatin1String("xn--")))
        domain = QUrl::fromAce(domain.toLatin1());
    const QByteArray utf8 = domain.toUtf8();
    // psl_builtin() is a process-wide read-only table: safe to query from any thread.
    return psl_registrable_domain(psl_builtin(), utf8.constData()) != nullptr;
}

} // namespace parallax
