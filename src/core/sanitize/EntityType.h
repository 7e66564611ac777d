#pragma once

#include <QString>
#include <QStringList>

namespace parallax {

/// Names of the built-in entity types, exactly as PRODUCT.md lists them. User-defined rules may add
/// any other upper-case name; types are plain strings so that they need no registry.
class EntityType {
public:
    static inline const QString Email = QStringLiteral("EMAIL_ADDRESS");
    static inline const QString Phone = QStringLiteral("PHONE_NUMBER");
    static inline const QString UsSsn = QStringLiteral("US_SSN");
    static inline const QString CreditCard = QStringLiteral("CREDIT_CARD");
    static inline const QString Iban = QStringLiteral("IBAN_CODE");
    static inline const QString IpAddress = QStringLiteral("IP_ADDRESS");
    static inline const QString MacAddress = QStringLiteral("MAC_ADDRESS");
    static inline const QString Url = QStringLiteral("URL");
    static inline const QString Crypto = QStringLiteral("CRYPTO");
    static inline const QString Secret = QStringLiteral("SECRET");

    /// All built-in types in a stable order.
    static QStringList builtins();

    /// Which span wins when two overlap: secrets over checksum-validated values over the rest, URL
    /// last because it is the least specific (an IP or an e-mail inside a URL is the personal part).
    /// User types rank with secrets: the user asked for them explicitly.
    static int priority(const QString& type) {
        // Spans of the built-in rules share these names' data: a pointer comparison settles most.
        const QChar* data = type.constData();
        if (data == Secret.constData())
            return 5;
        if (data == Phone.constData())
            return 2;
        if (data == Email.constData() || data == IpAddress.constData() || data == MacAddress.constData() ||
            data == UsSsn.constData())
            return 3;
        if (data == CreditCard.constData() || data == Iban.constData() || data == Crypto.constData())
            return 4;
        return priorityByName(type);
    }

    /// True for names a user type may take: upper-case ASCII letters, digits and '_', starting with
    /// a letter, so that `[TYPE_n]` placeholders stay unambiguous.
    static bool isValidName(const QString& type);

private:
    static int priorityByName(const QString& type);
};

} // namespace parallax
