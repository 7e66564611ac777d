#include "sanitize/Sanitizer.h"

#include "sanitize/EntityType.h"
#include "sanitize/Restorer.h"

#include <QTest>

using namespace parallax;

namespace {
SanitizerSettings usSettings() {
    SanitizerSettings settings;
    settings.phoneRegions = {QStringLiteral("US")};
    return settings;
}
} // namespace

class TestSanitizer : public QObject {
    Q_OBJECT

private slots:
    void sameValueSamePlaceholder();
    void sharedVaultAcrossMessages();
    void maskAndAllowModes();
    void allowlistAndAllowOnce();
    void suggestionsAreNotRedactedUnlessEnabled();
    void userRules();
    void badUserRegexReportsMessageAndOffset();
    void incrementalDetectMatchesFullScan();
    void multiLineScanMatchesLineByLine();
    void brokenCharactersHideNothing();
    void nearMissesStayUntouched_data();
    void nearMissesStayUntouched();
};

void TestSanitizer::sameValueSamePlaceholder() {
    const Sanitizer sanitizer(usSettings());
    const SanitizedText out = sanitizer.sanitize(
        QStringLiteral("a@example.com, b@example.org, again a@example.com; key AKIALALEMEL33243OLIB"));
    QCOMPARE(out.text,
             QStringLiteral("[EMAIL_ADDRESS_1], [EMAIL_ADDRESS_2], again [EMAIL_ADDRESS_1]; key [SECRET_1]"));
    QCOMPARE(out.vault.size(), 3);
    QCOMPARE(out.spans.size(), 4);
    QCOMPARE(out.spans.at(3).rule, QStringLiteral("aws-access-key-id"));
}

void TestSanitizer::sharedVaultAcrossMessages() {
    const Sanitizer sanitizer(usSettings());
    Vault vault;
    const SanitizedText system = sanitizer.sanitize(QStringLiteral("Owner: a@example.com"), vault);
    const SanitizedText user =
        sanitizer.sanitize(QStringLiteral("Ask a@example.com and c@example.com"), vault);
    QCOMPARE(system.text, QStringLiteral("Owner: [EMAIL_ADDRESS_1]"));
    QCOMPARE(user.text, QStringLiteral("Ask [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2]"));
    QCOMPARE(Restorer::restore(user.text, vault), QStringLiteral("Ask a@example.com and c@example.com"));
}

void TestSanitizer::maskAndAllowModes() {
    SanitizerSettings settings = usSettings();
    settings.modes.insert(EntityType::CreditCard, RedactionMode::Mask);
    settings.modes.insert(EntityType::Email, RedactionMode::Allow);
    const Sanitizer sanitizer(settings);
    const SanitizedText out =
        sanitizer.sanitize(QStringLiteral("card 4111 1111 1111 1111 from a@example.com"));
    QCOMPARE(out.text, QStringLiteral("card ****1111 from a@example.com"));
    QVERIFY(out.vault.isEmpty());
    QCOMPARE(out.redactedSpans().size(), 1);
}

void TestSanitizer::allowlistAndAllowOnce() {
    SanitizerSettings settings = usSettings();
    settings.allowlist.addValue(QStringLiteral("team@example.com"));
    QVERIFY(!settings.allowlist.addPattern(QStringLiteral(R"(.*@corp\.example\.com)")));
    const Sanitizer sanitizer(settings);
    const QString text = QStringLiteral("team@example.com x@corp.example.com y@example.com z@example.com");
    QCOMPARE(sanitizer.sanitize(text).text,
             QStringLiteral("team@example.com x@corp.example.com [EMAIL_ADDRESS_1] [EMAIL_ADDRESS_2]"));
    const qsizetype y = text.indexOf(QLatin1String("y@"));
    QCOMPARE(sanitizer.sanitize(text, {TextRange{y, y + 1}}).text,
             QStringLiteral("team@example.com x@corp.example.com y@example.com [EMAIL_ADDRESS_1]"));
    const Allowlist restored = Allowlist::fromJson(settings.allowlist.toJson());
    QVERIFY(restored.allows(u"team@example.com"));
    QVERIFY(restored.allows(u"q@corp.example.com"));
    QVERIFY(!restored.allows(u"q@example.com"));
}

void TestSanitizer::suggestionsAreNotRedactedUnlessEnabled() {
    const QString text = QStringLiteral("ssn 536228147 and db_password = \"Tr0ub4dor&3xQ9zLp\"");
    const Sanitizer plain(usSettings());
    const SanitizedText out = plain.sanitize(text);
    QCOMPARE(out.text, text);
    QCOMPARE(out.spans.size(), 2);
    QVERIFY(out.spans.at(0).suggestion && out.spans.at(1).suggestion);
    SanitizerSettings settings = usSettings();
    settings.redactSuggestions = true;
    QCOMPARE(Sanitizer(settings).sanitize(text).text,
             QStringLiteral("ssn [US_SSN_1] and db_password = \"[SECRET_1]\""));
}

void TestSanitizer::userRules() {
    SanitizerSettings settings = usSettings();
    settings.userRules.append({QStringLiteral("employee-id"), QStringLiteral("EMPLOYEE_ID"),
                               QStringLiteral(R"(\bEMP-\d{6}\b)"), false});
    const Sanitizer sanitizer(settings);
    const SanitizedText out = sanitizer.sanitize(QStringLiteral("EMP-004417 and EMP-12"));
    QCOMPARE(out.text, QStringLiteral("[EMPLOYEE_ID_1] and EMP-12"));
    QCOMPARE(out.spans.at(0).rule, QStringLiteral("employee-id"));
}

void TestSanitizer::badUserRegexReportsMessageAndOffset() {
    const auto error = UserRule::validatePattern(QStringLiteral("abc(def"));
    QVERIFY(error.has_value());
    QCOMPARE(error->offset, 7);
    QVERIFY(!error->message.isEmpty());
    QVERIFY(UserRule::validatePattern(QStringLiteral("x*")).has_value()); // matches the empty text
    QVERIFY(!UserRule::validatePattern(QStringLiteral("x+")).has_value());
    const UserRule badType{QString(), QStringLiteral("lower"), QStringLiteral("x+"), false};
    QVERIFY(badType.validate().has_value());
}

void TestSanitizer::incrementalDetectMatchesFullScan() {
    const Sanitizer sanitizer(usSettings());
    QString text;
    for (int i = 0; i < 200; ++i)
        text += QStringLiteral("line %1 mail u%1@example.com ip 10.0.%2.%3\n").arg(i).arg(i % 250).arg(i % 7);
    const QList<Span> full = sanitizer.detect(text);
    const qsizetype at = text.indexOf(QLatin1String("u57@"));
    const TextRange lines = Detector::expandToLines(text, {at, at + 3});
    QList<Span> expected;
    for (const Span& span : full) {
        if (span.start >= lines.start && span.end <= lines.end)
            expected.append(span);
    }
    QCOMPARE(expected.size(), 2);
    QCOMPARE(sanitizer.detect(text, {at, at + 3}), expected);
}

void TestSanitizer::multiLineScanMatchesLineByLine() {
    // Nearby lines share one regex call and one phone search; the result must not change: an
    // extension never reaches into the next line, a card is never read as a phone.
    const Sanitizer sanitizer(usSettings());
    const QStringList lines = {QStringLiteral("Call (312) 555-0199"),
                               QStringLiteral("x 12 and card 5425 2334 3010 9903, ssn 536-22-8147"),
                               QStringLiteral("# 2125550123 from 203.0.113.77 and fe80::1ff:fe23:4567:890a"),
                               QStringLiteral("wire GB33 BUKB 2020 1555 5555 55 today")};
    const QString text = lines.join(QLatin1Char('\n'));
    QList<Span> lineByLine;
    qsizetype offset = 0;
    for (const QString& line : lines) {
        for (Span span : sanitizer.detect(line)) {
            span.start += offset;
            span.end += offset;
            lineByLine.append(span);
        }
        offset += line.size() + 1;
    }
    const QList<Span> whole = sanitizer.detect(text);
    QCOMPARE(whole, lineByLine);
    QStringList types;
    for (const Span& span : whole)
        types << span.type;
    QCOMPARE(types,
             QStringList({EntityType::Phone, EntityType::CreditCard, EntityType::UsSsn, EntityType::Phone,
                          EntityType::IpAddress, EntityType::IpAddress, EntityType::Iban}));
    QCOMPARE(sanitizer.detect(text), whole); // second run: libphonenumber answers from the cache
}

void TestSanitizer::brokenCharactersHideNothing() {
    // A lone surrogate (half an emoji cut by a bad paste or a truncated log) on a line, or on a line
    // nearby: every value is still found, exactly where it is found without the broken character.
    const Sanitizer sanitizer(usSettings());
    const QString clean = QStringLiteral(
        "token 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 and jane.doe@example.com %1\n"
        "%2 wire XK05 1212 0123 4567 8906, call (312) 555-0199\n"
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
        "-----END RSA PRIVATE KEY-----\n");
    const QList<Span> expected = sanitizer.detect(clean.arg(QStringLiteral("x"), QStringLiteral("y")));
    QCOMPARE(expected.size(), 5);
    for (const QChar broken : {QChar(0xD83D), QChar(0xDE00)}) {
        const QString text = clean.arg(broken, broken);
        QCOMPARE(sanitizer.detect(text), expected);
        QVERIFY(!sanitizer.sanitize(text).text.contains(QStringLiteral("jane.doe")));
    }
}

void TestSanitizer::nearMissesStayUntouched_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("date and time") << QStringLiteral("2024-03-18 14:30:00 and 03/14/2024");
    QTest::newRow("build number") << QStringLiteral("Build 20240318.4 passed");
    QTest::newRow("version") << QStringLiteral("upgrade 2.14.3 to 3.0.1");
    QTest::newRow("order number") << QStringLiteral("Order #884213 shipped");
    QTest::newRow("epoch millis") << QStringLiteral("ts=1714637722417");
    QTest::newRow("time") << QStringLiteral("timer 00:45:12, ratio 3:2");
    QTest::newRow("C++ scope") << QStringLiteral("std::vector<int> v; foo::bar::baz();");
    QTest::newRow("placeholder key") << QStringLiteral(
        "AKIAIOSFODNN7EXAMPLE and ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    QTest::newRow("env var") << QStringLiteral("Authorization: Bearer ${API_TOKEN}");
    QTest::newRow("no suffix") << QStringLiteral("user@localhost and http://intranet/wiki");
}

void TestSanitizer::nearMissesStayUntouched() {
    QFETCH(QString, text);
    const Sanitizer sanitizer(usSettings());
    QCOMPARE(sanitizer.sanitize(text).text, text);
}

QTEST_GUILESS_MAIN(TestSanitizer)
#include "TestSanitizer.moc"
