#include "sanitize/Pcre2Pattern.h"
#include "sanitize/PhoneCandidateScanner.h"

#include <QRandomGenerator>
#include <QTest>

using namespace parallax;

// The scanner stands in for its pattern on ASCII text, so both must give the same candidates.
class TestPhoneCandidateScanner : public QObject {
    Q_OBJECT

private slots:
    void examples();
    void sameAsPatternOnRandomText();
};

namespace {

QList<QPair<qsizetype, qsizetype>> viaScanner(QStringView text) {
    QList<QPair<qsizetype, qsizetype>> all;
    PhoneCandidateScanner scanner(text);
    while (scanner.next())
        all.append({scanner.start(), scanner.end()});
    return all;
}

QList<QPair<qsizetype, qsizetype>> viaPattern(const Pcre2Pattern& pattern, QStringView text) {
    QList<QPair<qsizetype, qsizetype>> all;
    auto m = pattern.matches(text, true);
    while (m.next())
        all.append({m.capturedStart(0), m.capturedEnd(0)});
    return all;
}

} // namespace

void TestPhoneCandidateScanner::examples() {
    const Pcre2Pattern pattern(PhoneCandidateScanner::pattern(), Pcre2Pattern::UnicodeProperties);
    const QStringList texts = {
        QStringLiteral("Call (312) 555-0199 x 12 tomorrow"),
        QStringLiteral("+49 30 1234567 ext. 99, +1-800-555-0100#5"),
        QStringLiteral("a1234567 _1234567 .1234567 +1234567 1234567"),
        QStringLiteral("2024-05-02 08:15:23 and 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6"),
        QStringLiteral("12345 ext\n42 and 555 0199 x\n7"),
        QStringLiteral("(((1234567"),
    };
    for (const QString& text : texts)
        QCOMPARE(viaScanner(text), viaPattern(pattern, text));
    QCOMPARE(viaScanner(u"Call (312) 555-0199 x 12 tomorrow"), (QList<QPair<qsizetype, qsizetype>>{{5, 24}}));
}

void TestPhoneCandidateScanner::sameAsPatternOnRandomText() {
    const Pcre2Pattern pattern(PhoneCandidateScanner::pattern(), Pcre2Pattern::UnicodeProperties);
    static const char alphabet[] = "0123456789012345678901234567890123456789 \t().-/+x#ext.\n\v_aZ,";
    QRandomGenerator random(11);
    int candidates = 0;
    for (int i = 0; i < 20000; ++i) {
        QString text;
        const int length = random.bounded(1, 60);
        for (int k = 0; k < length; ++k)
            text += QLatin1Char(alphabet[random.bounded(static_cast<int>(sizeof(alphabet) - 1))]);
        const auto expected = viaPattern(pattern, text);
        QCOMPARE(viaScanner(text), expected);
        candidates += static_cast<int>(expected.size());
    }
    QVERIFY(candidates > 1000);
}

QTEST_GUILESS_MAIN(TestPhoneCandidateScanner)
#include "TestPhoneCandidateScanner.moc"
