#include "sanitize/AsciiLineBits.h"
#include "sanitize/LineFeatures.h"

#include <QRandomGenerator>
#include <QTest>

using namespace parallax;

// The detector reads ASCII lines as bitsets; LineFeatures::reference() is the definition of the
// features its triggers start from. Both must agree on every line: random lines of letters,
// digits, separators, capital-and-digit prefixes and long tokens, across the 64-character words.
class TestLineFeatures : public QObject {
    Q_OBJECT

private slots:
    void examples();
    void sameAsReference();
};

namespace {

LineFeatures viaBits(const QString& line) {
    AsciiLineBits bits;
    if (!bits.read(line))
        return LineFeatures::reference(line);
    return LineFeatures::of(bits, line);
}

QString describe(const LineFeatures& f) {
    return QStringLiteral("digits %1 dots %2 colons %3 dashes %4 long %5 :: %6 iban %7")
        .arg(f.digits)
        .arg(f.dots)
        .arg(f.colons)
        .arg(f.dashes)
        .arg(f.longToken)
        .arg(f.doubleColon)
        .arg(f.ibanPrefix);
}

} // namespace

void TestLineFeatures::examples() {
    const LineFeatures iban = LineFeatures::reference(u"Wire to GB33 BUKB 2020 1555 5555 55 today");
    QVERIFY(iban.ibanPrefix);
    QCOMPARE(iban.digits, 16);
    QVERIFY(!LineFeatures::reference(u"xGB33 1234").ibanPrefix);
    QVERIFY(LineFeatures::reference(u"fe80::1").doubleColon);
    QVERIFY(LineFeatures::reference(u"ghp_R8sK2mQ7xV4nL9pW3tZ6yB1cD5fG0hJ8kM2a").longToken);
    QVERIFY(!LineFeatures::reference(u"R8sK2mQ7xV4nL9pW3tZ6yB1cD").longToken); // 25
    const LineFeatures wide = LineFeatures::reference(QStringLiteral("call \uFF11\uFF12 é"));
    QVERIFY(wide.nonAscii);
    QCOMPARE(wide.digits, 2);
    QCOMPARE(viaBits(QStringLiteral("a1b2::c3.d4-e5 GB12AB")),
             LineFeatures::reference(u"a1b2::c3.d4-e5 GB12AB"));
}

void TestLineFeatures::sameAsReference() {
    QRandomGenerator random(20261206);
    static const QStringList pieces = {
        QStringLiteral("a"),
        QStringLiteral("Z"),
        QStringLiteral("7"),
        QStringLiteral("42"),
        QStringLiteral("GB33"),
        QStringLiteral("DE"),
        QStringLiteral("89"),
        QStringLiteral("GB3"),
        QStringLiteral("G"),
        QStringLiteral("B33x"),
        QStringLiteral(":"),
        QStringLiteral("::"),
        QStringLiteral("."),
        QStringLiteral("-"),
        QStringLiteral(" "),
        QStringLiteral("_"),
        QStringLiteral("\t"),
        QStringLiteral("/"),
        QStringLiteral("@"),
        QStringLiteral("x9Y8z7W6"),
        QStringLiteral("ghp_R8sK2mQ7xV4nL9pW3tZ6yB1cD5fG0hJ8kM2a"),
        QStringLiteral("aaaaaaaaaaaaaaaaaaaaaaaaa"), // 25 letters: one more makes a long token
        QStringLiteral("0123456789"),
    };
    int flags = 0;
    for (int i = 0; i < 40000; ++i) {
        QString line;
        const int count = random.bounded(0, i % 4 == 0 ? 120 : 24);
        for (int k = 0; k < count; ++k)
            line += pieces.at(random.bounded(static_cast<int>(pieces.size())));
        const LineFeatures expected = LineFeatures::reference(line);
        const LineFeatures actual = viaBits(line);
        QVERIFY2(actual == expected, qPrintable(line + QStringLiteral(" | ") + describe(actual) +
                                                QStringLiteral(" vs ") + describe(expected)));
        flags += expected.longToken + expected.doubleColon + expected.ibanPrefix;
    }
    QVERIFY(flags > 20000);
    // Flags just before, across and just after a 64-character word boundary.
    for (const QString& value :
         {QStringLiteral("GB33"), QStringLiteral("::"), QStringLiteral("R8sK2mQ7xV4nL9pW3tZ6yB1cD5")}) {
        for (int pad = 0; pad < 140; ++pad) {
            for (const QString& filler : {QStringLiteral(" "), QStringLiteral("a"), QStringLiteral("1")}) {
                const QString line = filler.repeated(pad) + value + filler.repeated(pad % 5);
                QVERIFY2(viaBits(line) == LineFeatures::reference(line), qPrintable(line));
            }
        }
    }
}

QTEST_GUILESS_MAIN(TestLineFeatures)
#include "TestLineFeatures.moc"
