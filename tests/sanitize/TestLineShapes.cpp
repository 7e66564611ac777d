#include "sanitize/BuiltinRules.h"
#include "sanitize/LineShapes.h"
#include "sanitize/Pcre2Pattern.h"
#include "sanitize/PhoneNumberFinder.h"

#include <QRandomGenerator>
#include <QTest>

using namespace parallax;

// The detector skips a digit-led rule on lines without its shape, which is only right if every
// line the rule's regex matches has the shape. The tests check that implication on lines made of
// the characters the shapes look at.
class TestLineShapes : public QObject {
    Q_OBJECT

private slots:
    void examples();
    void everyRegexMatchHasItsShape();
    void everyPhoneHasItsShape();
    void sameAsReference();
};

namespace {

bool shapeFor(RuleTrigger trigger, const LineShapes& shapes, bool& applies) {
    applies = true;
    switch (trigger) {
    case RuleTrigger::UsSsnShape:
        return shapes.ssn;
    case RuleTrigger::WeakSsnShape:
        return shapes.weakSsn;
    case RuleTrigger::CardShape:
        return shapes.card;
    case RuleTrigger::DottedQuad:
        return shapes.ipv4;
    case RuleTrigger::MacColons:
        return shapes.macColon;
    case RuleTrigger::MacDots:
        return shapes.macDotted;
    default:
        applies = false;
        return false;
    }
}

// Lines of digit groups, hex pairs and quads, separators, letters and the odd full-width digit.
QString randomLine(QRandomGenerator& random) {
    static const QStringList pieces = {
        QStringLiteral("1"),
        QStringLiteral("12"),
        QStringLiteral("123"),
        QStringLiteral("1234"),
        QStringLiteral("536"),
        QStringLiteral("22"),
        QStringLiteral("8147"),
        QStringLiteral("4111"),
        QStringLiteral("5425"),
        QStringLiteral("99999"),
        QStringLiteral("123456"),
        QStringLiteral("123456789"),
        QStringLiteral("3c"),
        QStringLiteral("fb"),
        QStringLiteral("0a1b"),
        QStringLiteral("beef"),
        QStringLiteral("-"),
        QStringLiteral("-"),
        QStringLiteral("."),
        QStringLiteral("."),
        QStringLiteral(":"),
        QStringLiteral(":"),
        QStringLiteral(" "),
        QStringLiteral(" "),
        QStringLiteral("/"),
        QStringLiteral("("),
        QStringLiteral(")"),
        QStringLiteral("#"),
        QStringLiteral("x"),
        QStringLiteral(" ext "),
        QStringLiteral("+"),
        QStringLiteral("a"),
        QStringLiteral("z"),
        QStringLiteral("203."),
        QStringLiteral("536 22 8147"),
        QStringLiteral("5425-2334-3010-9903"),
        QStringLiteral("0a1b.2c3d.4e5f"),
        QStringLiteral("3c:22:fb:9a:10:4e"),
        QStringLiteral(" 10.0.0.1"),
        QStringLiteral("192.168.1.20"),
        QStringLiteral("3c:"),
        QStringLiteral("9a-"),
        QStringLiteral("0a1b."),
        QStringLiteral("0."),
        QStringLiteral("25."),
        QStringLiteral("7"),
        QStringLiteral("_"),
        QString(QChar(0xFF15)),
        QString(QChar(0x2013)),
    };
    QString line;
    const int count = random.bounded(3, 24);
    for (int i = 0; i < count; ++i)
        line += pieces.at(random.bounded(static_cast<int>(pieces.size())));
    return line;
}

} // namespace

void TestLineShapes::examples() {
    QVERIFY(LineShapes::of(u"SSN 536-22-8147.").ssn);
    QVERIFY(!LineShapes::of(u"2024-05-02 08:15:23").ssn);
    QVERIFY(LineShapes::of(u"id 536228147").weakSsn);
    QVERIFY(LineShapes::of(u"card 5425 2334 3010 9903").card);
    QVERIFY(!LineShapes::of(u"upgrade 2.14.3 to 3.0.1").ipv4);
    QVERIFY(LineShapes::of(u"from 203.0.113.77").ipv4);
    QVERIFY(LineShapes::of(u"mac 3c:22:fb:9a:10:4e").macColon);
    QVERIFY(LineShapes::of(u"mac 00-1A-2B-3C-4D-5E").macColon);
    QVERIFY(!LineShapes::of(u"mac 00-1A:2B-3C-4D-5E").macColon);
    QVERIFY(LineShapes::of(u"mac 0a1b.2c3d.4e5f").macDotted);
    QVERIFY(LineShapes::of(u"call (312) 555-0199").phone);
    QVERIFY(LineShapes::of(u"call 555-01 ext 99").phone);
    QVERIFY(!LineShapes::of(u"Build 412 seconds, 2.14.3").phone);
}

void TestLineShapes::everyRegexMatchHasItsShape() {
    QRandomGenerator random(20261128);
    int checked = 0;
    for (const Rule& rule : BuiltinRules::all()) {
        bool applies = false;
        shapeFor(rule.trigger, LineShapes(), applies);
        if (!applies)
            continue;
        const Pcre2Pattern re(rule.pattern, rule.caseInsensitive ? Pcre2Pattern::CaseInsensitive : 0);
        QVERIFY(re.isValid());
        int matched = 0;
        for (int i = 0; i < 50000; ++i) {
            const QString line = randomLine(random);
            auto m = re.matches(line, false);
            if (!m.next())
                continue;
            ++matched;
            QVERIFY2(shapeFor(rule.trigger, LineShapes::of(line), applies),
                     qPrintable(rule.name + QStringLiteral(": ") + line));
        }
        QVERIFY2(matched >= 3,
                 qPrintable(rule.name + QStringLiteral(" hardly matched; the generator misses it")));
        ++checked;
    }
    QCOMPARE(checked, 6);
}

void TestLineShapes::everyPhoneHasItsShape() {
    QRandomGenerator random(7);
    const PhoneNumberFinder finder({QStringLiteral("US"), QStringLiteral("DE")});
    int found = 0;
    for (int i = 0; i < 3000; ++i) {
        const QString line = randomLine(random);
        if (finder.find(line).isEmpty())
            continue;
        ++found;
        QVERIFY2(LineShapes::of(line).phone, qPrintable(line));
    }
    QVERIFY(found >= 10);
}

// of() reads ASCII lines as bitsets; reference() is the definition. Long lines cross the
// 64-character words, and random ASCII puts separators, hex letters and markers everywhere.
void TestLineShapes::sameAsReference() {
    QRandomGenerator random(20261206);
    static const char alphabet[] =
        "0123456789012345678901234567890123456789abcdefABCDEF:-.:-. .-\t()/#xxetz_Q";
    // Without markers, so that the phone flag depends on the digit runs alone.
    static const char digitsOnly[] = "0123456789012345678901234567890123456789 .-()/\t:,ab";
    auto same = [](const QString& line) {
        for (int parts = 1; parts <= LineShapes::AllParts; ++parts) {
            const LineShapes fast = LineShapes::of(line, parts);
            const LineShapes slow = LineShapes::reference(line, parts);
            const bool equal = fast.ssn == slow.ssn && fast.weakSsn == slow.weakSsn &&
                               fast.card == slow.card && fast.ipv4 == slow.ipv4 &&
                               fast.macColon == slow.macColon && fast.macDotted == slow.macDotted &&
                               fast.phone == slow.phone;
            if (!equal)
                return false;
        }
        return true;
    };
    int flags = 0;
    for (int i = 0; i < 40000; ++i) {
        QString line;
        if (i % 3 == 0) {
            const int pieces = random.bounded(1, 40);
            for (int k = 0; k < pieces; ++k)
                line += randomLine(random);
        } else {
            const bool markers = i % 3 == 1;
            const int size =
                markers ? static_cast<int>(sizeof(alphabet)) - 1 : static_cast<int>(sizeof(digitsOnly)) - 1;
            const int length = random.bounded(0, markers || i % 2 ? 300 : 24);
            for (int k = 0; k < length; ++k)
                line +=
                    QLatin1Char(markers ? alphabet[random.bounded(size)] : digitsOnly[random.bounded(size)]);
        }
        QVERIFY2(same(line), qPrintable(line));
        const LineShapes shapes = LineShapes::reference(line);
        flags += shapes.ssn + shapes.weakSsn + shapes.card + shapes.ipv4 + shapes.macColon +
                 shapes.macDotted + shapes.phone;
    }
    QVERIFY(flags > 20000);
    // Shapes found just before, across and just after a 64-character word boundary.
    for (const QString& value : {QStringLiteral("3c:22:fb:9a:10:4e"), QStringLiteral("0a1b.2c3d.4e5f"),
                                 QStringLiteral("536-22-8147"), QStringLiteral("555-0199 x 12")}) {
        for (int pad = 0; pad < 140; ++pad) {
            for (const QString& filler : {QStringLiteral(" "), QStringLiteral("a"), QStringLiteral("1")}) {
                const QString line = filler.repeated(pad) + value + filler.repeated(pad % 7);
                QVERIFY2(same(line), qPrintable(line));
            }
        }
    }
}

QTEST_GUILESS_MAIN(TestLineShapes)
#include "TestLineShapes.moc"
