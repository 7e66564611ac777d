#include "sanitize/Validators.h"

#include <QTest>

using namespace parallax;

class TestValidators : public QObject {
    Q_OBJECT

private slots:
    void validators_data();
    void validators();
    void entropy();
};

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

QTEST_GUILESS_MAIN(TestValidators)
#include "TestValidators.moc"
