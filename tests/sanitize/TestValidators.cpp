#include "sanitize/Validators.h"

#include <QHostAddress>
#include <QRandomGenerator>
#include <QTest>

#include <array>
#include <cmath>
#include <cstring>

using namespace parallax;

class TestValidators : public QObject {
    Q_OBJECT

private slots:
    void validators_data();
    void validators();
    void entropy();
    void sameAsStringBuildingVersions();
};

namespace {

// The validators as they were written first (a QString per call, a logarithm per character
// kind): the definitions the allocation-free versions must equal.
namespace previous {

int ibanLength(QStringView country) {
    static const QHash<QString, int> lengths = {{QStringLiteral("DE"), 22}, {QStringLiteral("GB"), 22},
                                                {QStringLiteral("FR"), 27}, {QStringLiteral("NO"), 15},
                                                {QStringLiteral("MT"), 31}, {QStringLiteral("NL"), 18}};
    return lengths.value(country.toString(), 0);
}

bool iban(QStringView text) {
    QString compact;
    for (QChar c : text) {
        if (c == u' ' || c == u'-')
            continue;
        if (!((c >= u'0' && c <= u'9') || (c >= u'A' && c <= u'Z')))
            return false;
        compact.append(c);
    }
    if (compact.size() < 15 || !compact.at(2).isDigit() || !compact.at(3).isDigit())
        return false;
    if (ibanLength(QStringView(compact).left(2)) != compact.size())
        return false;
    const QString rearranged = compact.mid(4) + compact.left(4);
    int remainder = 0;
    for (QChar c : rearranged) {
        const int value = (c >= u'0' && c <= u'9') ? c.unicode() - u'0' : c.unicode() - u'A' + 10;
        remainder = (remainder * (value >= 10 ? 100 : 10) + value) % 97;
    }
    return remainder == 1;
}

bool usSsn(QStringView text) {
    QString digits;
    QChar delimiter;
    for (QChar c : text) {
        if (c >= u'0' && c <= u'9') {
            digits.append(c);
            continue;
        }
        if (!delimiter.isNull() && c != delimiter)
            return false;
        delimiter = c;
    }
    if (digits.size() != 9)
        return false;
    if (digits.count(digits.at(0)) == 9)
        return false;
    const int area = QStringView(digits).left(3).toInt();
    if (area == 0 || area == 666 || area >= 900)
        return false;
    if (QStringView(digits).mid(3, 2) == u"00" || QStringView(digits).mid(5) == u"0000")
        return false;
    return digits != u"123456789" && digits != u"078051120";
}

bool ipAddress(QStringView text) {
    QStringView address = text;
    const qsizetype slash = address.indexOf(u'/');
    if (slash >= 0)
        address = address.left(slash);
    if (!address.contains(u':') && address.count(u'.') != 3)
        return false;
    QHostAddress parsed;
    return parsed.setAddress(address.toString());
}

bool macAddress(QStringView text) {
    QString hex;
    for (QChar c : text) {
        if (c.isLetterOrNumber())
            hex.append(c.toUpper());
    }
    if (hex.size() != 12)
        return false;
    return hex != QLatin1String("000000000000") && hex != QLatin1String("FFFFFFFFFFFF");
}

double shannonEntropy(QStringView text) {
    if (text.isEmpty())
        return 0.0;
    std::array<int, 128> counts{};
    int other = 0;
    for (QChar c : text) {
        if (c.unicode() < 128)
            ++counts[c.unicode()];
        else
            ++other;
    }
    double entropy = 0.0;
    const double n = static_cast<double>(text.size());
    auto add = [&](int count) {
        if (count > 0) {
            const double p = count / n;
            entropy -= p * std::log2(p);
        }
    };
    for (int count : counts)
        add(count);
    add(other);
    return entropy;
}

bool hasDominantRun(QStringView value) {
    int longestRun = 1;
    int run = 1;
    for (qsizetype i = 1; i < value.size(); ++i) {
        run = value.at(i) == value.at(i - 1) ? run + 1 : 1;
        longestRun = std::max(longestRun, run);
    }
    return longestRun * 3 >= value.size() * 2;
}

bool looksLikeSecretPlaceholder(QStringView value) {
    if (value.size() < 4)
        return true;
    const QString lower = value.toString().toLower();
    if (lower.contains(QLatin1String("example")))
        return true;
    static const QStringList literal = {QStringLiteral("true"),     QStringLiteral("false"),
                                        QStringLiteral("null"),     QStringLiteral("none"),
                                        QStringLiteral("redacted"), QStringLiteral("changeme"),
                                        QStringLiteral("password"), QStringLiteral("undefined")};
    if (literal.contains(lower))
        return true;
    for (const char* needle : {"abcdefghijklmnopqrstuvwxyz", "0123456789abcdef", "xxxx", "****", "...",
                               "your_", "your-", "<", "${", "{{", "$(", "%s"}) {
        if (lower.contains(QLatin1String(needle)))
            return true;
    }
    if (lower.startsWith(QLatin1Char('$')) || lower.startsWith(QLatin1String("/usr/")) ||
        lower.startsWith(QLatin1String("/etc/")))
        return true;
    return hasDominantRun(value);
}

} // namespace previous

QString randomString(QRandomGenerator& random, const QString& alphabet, int minLength, int maxLength) {
    QString text;
    const int length = random.bounded(minLength, maxLength + 1);
    for (int i = 0; i < length; ++i)
        text += alphabet.at(random.bounded(static_cast<int>(alphabet.size())));
    return text;
}

// A valid IBAN of `country` with `length` characters: check digits computed.
QString validIban(QRandomGenerator& random, const QString& country, int length) {
    QString bban;
    for (int i = 0; i < length - 4; ++i)
        bban += QLatin1Char("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[random.bounded(i % 3 ? 10 : 36)]);
    for (int check = 0; check < 100; ++check) {
        const QString candidate = country + QStringLiteral("%1").arg(check, 2, 10, QLatin1Char('0')) + bban;
        if (previous::iban(candidate))
            return candidate;
    }
    return country + QStringLiteral("00") + bban;
}

} // namespace

void TestValidators::validators_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    auto row = [](const char* kind, const char* value, bool valid) {
        QTest::addRow("%s %s", kind, value)
            << QString::fromLatin1(kind) << QString::fromLatin1(value) << valid;
    };
    row("luhn", "4111 1111 1111 1111", true);
    row("luhn", "4012-8888-8888-1881", true);
    row("luhn", "4012-8888-8888-1882", false);
    row("luhn", "36168002586008", false);
    row("luhn", "12345", false);
    row("iban", "DE89 3704 0044 0532 0130 00", true);
    row("iban", "GB82WEST12345698765432", true);
    row("iban", "GB82WEST12345698765433", false);
    row("iban", "DE89 3704 0044 0532 0130", false); // wrong length for DE
    row("iban", "XX89370400440532013000", false);
    row("ssn", "536-22-8147", true);
    row("ssn", "536 22 8147", true);
    row("ssn", "693-09.4444", false);
    row("ssn", "000-12-3456", false);
    row("ssn", "666-12-3456", false);
    row("ssn", "912-12-3456", false); // area 900-999 (Presidio misses this one)
    row("ssn", "536-00-8147", false);
    row("ssn", "536-22-0000", false);
    row("ssn", "123-45-6789", false);
    row("ssn", "987-65-4320", false); // area 987 >= 900
    row("ssn", "478-65-4320", true);  // Presidio PR #2074: not a blocked sample
    row("ip", "192.168.0.1", true);
    row("ip", "10.0.0.0/8", true);
    row("ip", "2001:db8::1", true);
    row("ip", "fe80::1%eth0", true);
    row("ip", "::ffff:192.0.2.1", true);
    row("ip", "256.1.1.1", false);
    row("ip", "2001::db8::1", false);
    row("ip", "12:34:56", false);
    row("ip", "10.1", false);
    row("mac", "00:1A:2B:3C:4D:5E", true);
    row("mac", "0012.3456.789A", true);
    row("mac", "FF:FF:FF:FF:FF:FF", false);
    row("mac", "00-00-00-00-00-00", false);
    row("bitcoin", "16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ", true);
    row("bitcoin", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", true);
    row("bitcoin", "16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ2", false);
    row("bitcoin", "16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyY", false);
    row("bitcoin", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", true);
    row("bitcoin", "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297", true);
    row("bitcoin", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdz", false);
    row("placeholder", "AKIAIOSFODNN7EXAMPLE", true);
    row("placeholder", "AKIAXXXXXXXXXXXXXXXX", true);
    row("placeholder", "${API_KEY}", true);
    row("placeholder", "{{ token }}", true);
    row("placeholder", "<your token>", true);
    row("placeholder", "Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznB", false);
}

void TestValidators::validators() {
    QFETCH(QString, kind);
    QFETCH(QString, value);
    QFETCH(bool, valid);
    bool result = false;
    if (kind == u"luhn")
        result = Validators::luhn(value);
    else if (kind == u"iban")
        result = Validators::iban(value);
    else if (kind == u"ssn")
        result = Validators::usSsn(value);
    else if (kind == u"ip")
        result = Validators::ipAddress(value);
    else if (kind == u"mac")
        result = Validators::macAddress(value);
    else if (kind == u"bitcoin")
        result = Validators::bitcoinAddress(value);
    else if (kind == u"placeholder")
        result = Validators::looksLikeSecretPlaceholder(value);
    else
        QFAIL("unknown kind");
    QCOMPARE(result, valid);
}

void TestValidators::entropy() {
    QCOMPARE(Validators::shannonEntropy(u"aaaa"), 0.0);
    QCOMPARE(Validators::shannonEntropy(u"abcd"), 2.0);
    QVERIFY(Validators::shannonEntropy(u"Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznB") > 4.0);
}

void TestValidators::sameAsStringBuildingVersions() {
    QRandomGenerator random(1206);
    int accepted = 0;
    const QString digits = QStringLiteral("0123456789");
    for (int i = 0; i < 20000; ++i) {
        // IBANs: valid ones, then damaged (a character after the country changed, group separators).
        static const QStringList countries = {QStringLiteral("DE"), QStringLiteral("GB"),
                                              QStringLiteral("FR"), QStringLiteral("NO"),
                                              QStringLiteral("MT"), QStringLiteral("NL")};
        static const int lengths[] = {22, 22, 27, 15, 31, 18};
        const int c = random.bounded(6);
        QString iban = validIban(random, countries.at(c), lengths[c] + (random.bounded(8) == 0 ? 1 : 0));
        if (random.bounded(3) == 0)
            iban[2 + random.bounded(static_cast<int>(iban.size()) - 2)] =
                QLatin1Char("0123456789AZ -a"[random.bounded(15)]);
        for (qsizetype at = 4; at < iban.size(); at += 5) {
            if (random.bounded(2))
                iban.insert(at, random.bounded(4) ? u' ' : u'-');
        }
        QCOMPARE(Validators::iban(iban), previous::iban(iban));
        accepted += Validators::iban(iban);

        // SSNs: digits with one or two kinds of delimiter, 8 to 10 digits.
        const QString ssn =
            randomString(random, QStringLiteral("0123456789012345678901234567890-- .6"), 9, 13);
        QCOMPARE(Validators::usSsn(ssn), previous::usSsn(ssn));
        accepted += Validators::usSsn(ssn);

        // IPv4 (and a few IPv6) addresses, some malformed, some with a prefix.
        QString ip;
        for (int part = 0; part < 4; ++part) {
            if (part)
                ip += random.bounded(20) ? u'.' : u':';
            ip += QString::number(random.bounded(2) ? random.bounded(256) : random.bounded(1000));
            if (random.bounded(30) == 0)
                ip.prepend(u'0');
        }
        if (random.bounded(4) == 0)
            ip += QStringLiteral("/%1").arg(random.bounded(40));
        if (random.bounded(10) == 0)
            ip = randomString(random, digits + QStringLiteral("..::abf/"), 1, 20);
        QCOMPARE(Validators::ipAddress(ip), previous::ipAddress(ip));
        accepted += Validators::ipAddress(ip);

        // MAC addresses, with letters beyond hex, other separators and the odd non-ASCII letter.
        const QString mac =
            randomString(random, QStringLiteral("0123456789abcdefABCDEF0F0F:-.xyZé0"), 10, 20);
        QCOMPARE(Validators::macAddress(mac), previous::macAddress(mac));
        accepted += Validators::macAddress(mac);

        // Entropy, to the last bit: short and long values (the table covers up to 128 characters).
        const QString value = randomString(random,
                                           i % 2 ? QStringLiteral("aAbB0123+/=_-xyzé")
                                                 : QStringLiteral("0123456789abcdefghijklmnopqrstuvwxyzQ"),
                                           1, 300);
        const double entropy = Validators::shannonEntropy(value);
        const double expected = previous::shannonEntropy(value);
        QVERIFY2(std::memcmp(&entropy, &expected, sizeof(double)) == 0, qPrintable(value));
        for (double threshold : {2.0, 2.5, 3.0, 3.5, 4.0, entropy}) {
            QVERIFY2(Validators::entropyBelow(value, threshold) == (expected < threshold),
                     qPrintable(value + QStringLiteral(" %1").arg(threshold)));
        }

        // Placeholders: random values with needles and literal values mixed in.
        static const QStringList pieces = {QStringLiteral("EXAMPLE"),
                                           QStringLiteral("xxxx"),
                                           QStringLiteral("**"),
                                           QStringLiteral("..."),
                                           QStringLiteral("your_"),
                                           QStringLiteral("YOUR-"),
                                           QStringLiteral("<"),
                                           QStringLiteral("${"),
                                           QStringLiteral("{{"),
                                           QStringLiteral("$("),
                                           QStringLiteral("%s"),
                                           QStringLiteral("/usr/"),
                                           QStringLiteral("/etc/"),
                                           QStringLiteral("true"),
                                           QStringLiteral("None"),
                                           QStringLiteral("aaaaaa"),
                                           QStringLiteral("0123456789abcdef"),
                                           QStringLiteral("k"),
                                           QStringLiteral("Z9"),
                                           QStringLiteral("é")};
        QString placeholder;
        const int count = random.bounded(1, 6);
        for (int k = 0; k < count; ++k)
            placeholder += random.bounded(2) ? pieces.at(random.bounded(static_cast<int>(pieces.size())))
                                             : randomString(random, QStringLiteral("aA1x*.$%{<s"), 1, 6);
        QCOMPARE(Validators::looksLikeSecretPlaceholder(placeholder),
                 previous::looksLikeSecretPlaceholder(placeholder));
        accepted += Validators::looksLikeSecretPlaceholder(placeholder);
    }
    QVERIFY(accepted > 10000);
    // Values whose most frequent character sits right at a threshold's bound: k distinct characters
    // equally often (entropy log2 k), and the same with one character more or less often.
    for (int distinct = 1; distinct <= 40; ++distinct) {
        for (int repeat = 1; repeat <= 4; ++repeat) {
            for (int extra : {-1, 0, 1}) {
                QString value;
                for (int k = 0; k < distinct; ++k)
                    value += QString(repeat + (k == 0 ? extra : 0), QChar(u'!' + k));
                const double entropy = previous::shannonEntropy(value);
                for (double threshold : {2.0, 2.5, 3.0, 3.5, 4.0, entropy, std::nextafter(entropy, 10.0)})
                    QCOMPARE(Validators::entropyBelow(value, threshold), entropy < threshold);
            }
        }
    }
}

QTEST_GUILESS_MAIN(TestValidators)
#include "TestValidators.moc"
