#include "PublicSuffix.h"

#include <QHash>
#include <QUrl>

#include <libpsl.h>

namespace parallax {

namespace {

bool lookUp(const QString& host) {
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

} // namespace

bool PublicSuffix::hasRegistrableDomain(const QString& host) {
    // Text repeats its domains (one per e-mail address and URL), and a libpsl lookup costs a few
    // microseconds: remember answers per thread (no lock), a bounded number of them.
    constexpr qsizetype kMaxCached = 4096;
    thread_local QHash<QString, bool> cache;
    const auto hit = cache.constFind(host);
    if (hit != cache.constEnd())
        return hit.value();
    const bool registrable = lookUp(host);
    if (cache.size() >= kMaxCached)
        cache.clear();
    cache.insert(host, registrable);
    return registrable;
}

} // namespace parallax
