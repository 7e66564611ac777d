#include "EntityType.h"

namespace parallax {

QStringList EntityType::builtins() {
    return {Email, Phone, UsSsn, CreditCard, Iban, IpAddress, MacAddress, Url, Crypto, Secret};
}

int EntityType::priorityByName(const QString& type) {
    if (type == Url)
        return 1;
    if (type == Phone)
        return 2;
    if (type == Email || type == IpAddress || type == MacAddress || type == UsSsn)
        return 3;
    if (type == CreditCard || type == Iban || type == Crypto)
        return 4;
    return 5; // SECRET and user types
}

bool EntityType::isValidName(const QString& type) {
    if (type.isEmpty() || type.size() > 40 || !(type.at(0) >= u'A' && type.at(0) <= u'Z'))
        return false;
    for (QChar c : type) {
        const bool ok = (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace parallax
