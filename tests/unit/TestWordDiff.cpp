#include "text/WordDiff.h"

#include <QTest>

using namespace parallax;
using Kind = WordDiff::Segment::Kind;
using Segments = QList<WordDiff::Segment>;

namespace parallax {
// Readable failures: QCOMPARE prints both lists as [=“The sky is ” -“blue” +“green” =“.”].
char* toString(const Segments& segments) {
    QString text;
    for (const WordDiff::Segment& segment : segments) {
        const char mark = segment.kind == Kind::Equal ? '=' : segment.kind == Kind::Inserted ? '+' : '-';
        text += QStringLiteral(" %1“%2”").arg(QString(QLatin1Char(mark)), segment.text);
    }
    return qstrdup(QStringLiteral("[%1 ]").arg(text).toUtf8().constData());
}
} // namespace parallax

namespace {
WordDiff::Segment equal(const char* text) {
    return {Kind::Equal, QString::fromUtf8(text)};
}
WordDiff::Segment inserted(const char* text) {
    return {Kind::Inserted, QString::fromUtf8(text)};
}
WordDiff::Segment deleted(const char* text) {
    return {Kind::Deleted, QString::fromUtf8(text)};
}
} // namespace

Q_DECLARE_METATYPE(Segments)

class TestWordDiff : public QObject {
    Q_OBJECT

private slots:
    void tokenize() {
        QCOMPARE(WordDiff::tokenize(QStringLiteral("Hi, there!\n\n  It's 42°C")),
                 (QStringList{"Hi", ",", " ", "there", "!", "\n\n  ", "It", "'", "s", " ", "42", "°", "C"}));
        QCOMPARE(WordDiff::tokenize(QString()), QStringList());
        // An astral character is one token, so no segment boundary can fall inside it.
        QCOMPARE(WordDiff::tokenize(QStringLiteral("ok😀😁")), (QStringList{"ok", "😀", "😁"}));
        // Accents written as combining marks stay inside their word.
        QCOMPARE(WordDiff::tokenize(QStringLiteral("cafe\u0301 au")),
                 (QStringList{QStringLiteral("cafe\u0301"), " ", "au"}));
    }

    void compute_data() {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("other");
        QTest::addColumn<Segments>("expected");

        QTest::newRow("identical") << "The sky is blue."
                                   << "The sky is blue." << Segments{equal("The sky is blue.")};
        QTest::newRow("one word replaced, punctuation kept")
            << "The sky is blue."
            << "The sky is green."
            << Segments{equal("The sky is "), deleted("blue"), inserted("green"), equal(".")};
        QTest::newRow("word inserted")
            << "a quick fox"
            << "a very quick fox" << Segments{equal("a "), inserted("very "), equal("quick fox")};
        QTest::newRow("word deleted")
            << "a very quick fox"
            << "a quick fox" << Segments{equal("a "), deleted("very "), equal("quick fox")};
        QTest::newRow("phrase replaced as one change")
            << "a b c d"
            << "a x y d" << Segments{equal("a "), deleted("b c"), inserted("x y"), equal(" d")};
        QTest::newRow("whitespace differences are not changes")
            << "one two\nthree"
            << "one  two three" << Segments{equal("one  two three")};
        QTest::newRow("empty base") << ""
                                    << "new text" << Segments{inserted("new text")};
        QTest::newRow("empty other") << "old text"
                                     << "" << Segments{deleted("old text")};
        QTest::newRow("both empty") << ""
                                    << "" << Segments{};
        QTest::newRow("emoji replaced whole")
            << "ok 😀"
            << "ok 😁" << Segments{equal("ok "), deleted("😀"), inserted("😁")};
        QTest::newRow("mask against value") << "Reply to jane.doe@example.com now."
                                            << "Reply to ****.com now."
                                            << Segments{equal("Reply to "), deleted("jane.doe@example."),
                                                        inserted("****."), equal("com now.")};
    }

    void compute() {
        QFETCH(QString, base);
        QFETCH(QString, other);
        QFETCH(Segments, expected);
        const Segments segments = WordDiff::compute(base, other);
        QCOMPARE(segments, expected);

        // Whatever the input: equal and inserted text spell `other`, no segment is empty, and
        // neighbours never share a kind.
        QString rebuilt;
        for (qsizetype i = 0; i < segments.size(); ++i) {
            if (segments[i].kind != Kind::Deleted)
                rebuilt += segments[i].text;
            QVERIFY(!segments[i].text.isEmpty());
            if (i > 0)
                QVERIFY(segments[i].kind != segments[i - 1].kind);
        }
        QCOMPARE(rebuilt, other);
    }
};

QTEST_APPLESS_MAIN(TestWordDiff)
#include "TestWordDiff.moc"
