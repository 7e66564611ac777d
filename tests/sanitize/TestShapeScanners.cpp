#include "sanitize/BuiltinRules.h"
#include "sanitize/Pcre2Pattern.h"
#include "sanitize/ShapeScanners.h"

#include <QRandomGenerator>
#include <QTest>

using namespace parallax;

// Rule::scanner stands in for a rule's pattern, so both must find the same values: checked for
// every built-in rule with a scanner on random lines of digits, hex letters, separators, word and
// non-word characters (some non-ASCII, some lone surrogates), and on the values' edges.
class TestShapeScanners : public QObject {
    Q_OBJECT

private slots:
    void examples();
    void sameAsPatternsOnRandomText();
};

namespace {

std::vector<TextRange> viaScanner(const Rule& rule, QStringView text) {
    std::vector<TextRange> found;
    rule.scanner(text, found);
    return found;
}

std::vector<TextRange> viaPattern(const Pcre2Pattern& pattern, const Rule& rule, QStringView text) {
    std::vector<TextRange> found;
    auto m = pattern.matches(text, false);
    while (m.next()) {
        const int group = m.lastCapturedIndex() >= rule.group ? rule.group : 0;
        found.push_back({m.capturedStart(group), m.capturedEnd(group)});
    }
    return found;
}

QString describe(const std::vector<TextRange>& ranges) {
    QStringList parts;
    for (const TextRange& range : ranges)
        parts << QStringLiteral("%1-%2").arg(range.start).arg(range.end);
    return parts.join(QLatin1Char(' '));
}

QString randomLine(QRandomGenerator& random) {
    static const QStringList pieces = {
        QStringLiteral("0"),
        QStringLiteral("1"),
        QStringLiteral("2"),
        QStringLiteral("5"),
        QStringLiteral("9"),
        QStringLiteral("00"),
        QStringLiteral("01"),
        QStringLiteral("10"),
        QStringLiteral("25"),
        QStringLiteral("99"),
        QStringLiteral("100"),
        QStringLiteral("199"),
        QStringLiteral("200"),
        QStringLiteral("249"),
        QStringLiteral("250"),
        QStringLiteral("255"),
        QStringLiteral("256"),
        QStringLiteral("300"),
        QStringLiteral("1234"),
        QStringLiteral("536"),
        QStringLiteral("22"),
        QStringLiteral("8147"),
        QStringLiteral("12345"),
        QStringLiteral("123456"),
        QStringLiteral("123456789"),
        QStringLiteral("a"),
        QStringLiteral("f"),
        QStringLiteral("A"),
        QStringLiteral("F"),
        QStringLiteral("g"),
        QStringLiteral("Z"),
        QStringLiteral("_"),
        QStringLiteral("3c"),
        QStringLiteral("fb"),
        QStringLiteral("0a1b"),
        QStringLiteral("beef"),
        QStringLiteral("."),
        QStringLiteral("."),
        QStringLiteral("."),
        QStringLiteral(":"),
        QStringLiteral(":"),
        QStringLiteral("-"),
        QStringLiteral("-"),
        QStringLiteral(" "),
        QStringLiteral(" "),
        QStringLiteral("/"),
        QStringLiteral("/32"),
        QStringLiteral("/33"),
        QStringLiteral("/8"),
        QStringLiteral("/129"),
        QStringLiteral("1.2.3.4"),
        QStringLiteral("192.168.1.20"),
        QStringLiteral("536-22-8147"),
        QStringLiteral("536 22 8147"),
        QStringLiteral("3c:22:fb:9a:10:4e"),
        QStringLiteral("00-1A-2B-3C-4D-5E"),
        QStringLiteral("0a1b.2c3d.4e5f"),
        QStringLiteral("\t"),
        QStringLiteral(","),
        QStringLiteral("x"),
        QString(QChar(0xE9)),
        QString(QChar(0xFF15)),
        QString(QChar(0xD83D)),
        QString(QChar(0xDE00)),
        // Pieces of dotted quads, so that many lines hold three dots and some a whole address.
        QStringLiteral("255."),
        QStringLiteral("256."),
        QStringLiteral("250."),
        QStringLiteral("249."),
        QStringLiteral("199."),
        QStringLiteral("1.2.3"),
        QStringLiteral("10.0.0"),
        QStringLiteral(".7"),
        QStringLiteral("01."),
        QStringLiteral("0."),
        QStringLiteral("9."),
        QStringLiteral("300."),
        // Card numbers in groups, with their separators and a 13-digit timestamp.
        QStringLiteral("4111"),
        QStringLiteral("5425"),
        QStringLiteral("2223"),
        QStringLiteral("5625"),
        QStringLiteral("6011"),
        QStringLiteral("3782"),
        QStringLiteral("1700000000000"),
        QStringLiteral("98765"),
        QStringLiteral("5425 2334 3010 9903"),
        QStringLiteral("4111-1111-1111-1111"),
        QStringLiteral("378282246310005"),
        // IBAN material: country codes, check digits, groups of capitals and digits, short tails.
        QStringLiteral("GB33"),
        QStringLiteral("DE89"),
        QStringLiteral("BUKB"),
        QStringLiteral("AB12"),
        QStringLiteral("X9"),
        QStringLiteral("Q"),
        QStringLiteral("GB33 BUKB 2020 1555 5555 55"),
        QStringLiteral("DE89370400440532013000"),
        QStringLiteral("ZZ"),
        QStringLiteral("9999"),
    };
    QString line;
    const int count = random.bounded(1, 30);
    for (int i = 0; i < count; ++i)
        line += pieces.at(random.bounded(static_cast<int>(pieces.size())));
    return line;
}

} // namespace

void TestShapeScanners::examples() {
    std::vector<TextRange> found;
    ShapeScanners::ipv4(u"from 203.0.113.77/24, not 1.2.3.4.5 or 256.1.1.1", found);
    QCOMPARE(found.size(), size_t(1));
    QCOMPARE(found.front(), (TextRange{5, 20}));
    found.clear();
    ShapeScanners::usSsn(u"SSN 536-22-8147, not 536-22 8147", found);
    QCOMPARE(found.size(), size_t(1));
    found.clear();
    ShapeScanners::macColon(u"mac 3c:22:fb:9a:10:4e and 00-1A-2B-3C-4D-5E", found);
    QCOMPARE(found.size(), size_t(2));
}

void TestShapeScanners::sameAsPatternsOnRandomText() {
    QRandomGenerator random(20261207);
    int rules = 0;
    for (const Rule& rule : BuiltinRules::all()) {
        if (!rule.scanner)
            continue;
        ++rules;
        const Pcre2Pattern pattern(rule.pattern, rule.caseInsensitive ? Pcre2Pattern::CaseInsensitive : 0);
        QVERIFY(pattern.isValid());
        int matches = 0;
        for (int i = 0; i < 40000; ++i) {
            const QString line = randomLine(random);
            const std::vector<TextRange> expected = viaPattern(pattern, rule, line);
            const std::vector<TextRange> actual = viaScanner(rule, line);
            QVERIFY2(actual == expected,
                     qPrintable(rule.name + QStringLiteral(": ") + line + QStringLiteral(" | ") +
                                describe(actual) + QStringLiteral(" vs ") + describe(expected)));
            matches += static_cast<int>(expected.size());
        }
        QVERIFY2(matches >= 200, qPrintable(rule.name + QStringLiteral(" hardly matched: %1").arg(matches)));
    }
    QCOMPARE(rules, 7);
}

QTEST_GUILESS_MAIN(TestShapeScanners)
#include "TestShapeScanners.moc"
