#include "sanitize/Pcre2Pattern.h"

#include <QRegularExpression>
#include <QTest>

using namespace parallax;

// Pcre2Pattern replaces QRegularExpression in the detector, so every difference would change what
// is redacted: the tests compare the two on the same patterns and subjects.
class TestPcre2Pattern : public QObject {
    Q_OBJECT

private slots:
    void sameMatchesAsQRegularExpression_data();
    void sameMatchesAsQRegularExpression();
    void unsetGroupIsMinusOne();
    void loneSurrogatesAreReadAsReplacementCharacters();
    void restartAt();
    void invalidPatternReportsError();
    void nestedIterationsOnOneThread();
};

namespace {

// (start, end) of every group of every match, -1 for groups that did not take part.
QList<QList<qsizetype>> viaQt(const QString& pattern, int options, const QString& subject) {
    QRegularExpression::PatternOptions qtOptions;
    if (options & Pcre2Pattern::CaseInsensitive)
        qtOptions |= QRegularExpression::CaseInsensitiveOption;
    if (options & Pcre2Pattern::UnicodeProperties)
        qtOptions |= QRegularExpression::UseUnicodePropertiesOption;
    const QRegularExpression re(pattern, qtOptions);
    QList<QList<qsizetype>> all;
    auto it = re.globalMatch(subject);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        QList<qsizetype> groups;
        for (int g = 0; g <= m.lastCapturedIndex(); ++g)
            groups << m.capturedStart(g) << m.capturedEnd(g);
        all << groups;
    }
    return all;
}

QList<QList<qsizetype>> viaPcre2(const QString& pattern, int options, const QString& subject, bool valid) {
    const Pcre2Pattern re(pattern, options);
    QList<QList<qsizetype>> all;
    auto m = re.matches(subject, valid);
    while (m.next()) {
        QList<qsizetype> groups;
        for (int g = 0; g <= m.lastCapturedIndex(); ++g)
            groups << m.capturedStart(g) << m.capturedEnd(g);
        all << groups;
    }
    return all;
}

} // namespace

void TestPcre2Pattern::sameMatchesAsQRegularExpression_data() {
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<int>("options");
    QTest::addColumn<QString>("subject");
    const int none = Pcre2Pattern::NoOption;
    QTest::newRow("plain") << QStringLiteral("a(b)?") << none << QStringLiteral("a ab xab");
    QTest::newRow("empty matches") << QStringLiteral("x*") << none << QStringLiteral("axxb\nx");
    QTest::newRow("empty between surrogates") << QStringLiteral("") << none << QStringLiteral("a\U0001F600b");
    QTest::newRow("caseless") << QStringLiteral("key=(\\w+)") << int(Pcre2Pattern::CaseInsensitive)
                              << QStringLiteral("KEY=abc key=DEF");
    QTest::newRow("ucp word") << QStringLiteral("(?<![\\w])\\d+") << int(Pcre2Pattern::UnicodeProperties)
                              << QStringLiteral("é12 34 ٣٤");
    QTest::newRow("ascii word without ucp")
        << QStringLiteral("(?<![\\w])\\d+") << none << QStringLiteral("é12 34");
    QTest::newRow("anchors") << QStringLiteral("^a|b$") << none << QStringLiteral("ab\nab\n");
    QTest::newRow("backreference") << QStringLiteral("(\\d{2})([:\\-])\\d{2}\\2") << none
                                   << QStringLiteral("12:34:56 12-34:56 12-34-");
}

void TestPcre2Pattern::sameMatchesAsQRegularExpression() {
    QFETCH(QString, pattern);
    QFETCH(int, options);
    QFETCH(QString, subject);
    QCOMPARE(viaPcre2(pattern, options, subject, false), viaQt(pattern, options, subject));
    bool surrogates = false;
    for (QChar c : subject)
        surrogates |= c.isSurrogate();
    if (!surrogates)
        QCOMPARE(viaPcre2(pattern, options, subject, true), viaQt(pattern, options, subject));
}

void TestPcre2Pattern::unsetGroupIsMinusOne() {
    const Pcre2Pattern re(QStringLiteral("a(b)?(c)"), Pcre2Pattern::NoOption);
    auto m = re.matches(u"ac", true);
    QVERIFY(m.next());
    QCOMPARE(m.lastCapturedIndex(), 2);
    QCOMPARE(m.capturedStart(1), -1);
    QCOMPARE(m.capturedStart(2), 1);
    QCOMPARE(m.capturedEnd(2), 2);
    QCOMPARE(m.capturedStart(3), -1);
    QVERIFY(!m.next());
}

void TestPcre2Pattern::loneSurrogatesAreReadAsReplacementCharacters() {
    // QRegularExpression finds nothing at all in a subject with a lone surrogate; we match around it
    // (read as U+FFFD), so one broken character cannot hide a secret. Offsets are the subject's.
    QString subject = QStringLiteral("abc ");
    subject.append(QChar(0xD800));
    subject.append(QStringLiteral(" abc "));
    subject.append(QChar(0xDC00)); // a low surrogate without its high half
    subject.append(QStringLiteral("abc \U0001F600 abc"));
    QVERIFY(viaQt(QStringLiteral("abc"), 0, subject).isEmpty());
    const QList<QList<qsizetype>> expected = {{0, 3}, {6, 9}, {11, 14}, {18, 21}};
    QCOMPARE(viaPcre2(QStringLiteral("abc"), 0, subject, false), expected);

    // The same as QRegularExpression on the repaired subject, also for patterns that match anything.
    QString repaired = subject;
    repaired[4] = QChar::ReplacementCharacter;
    repaired[10] = QChar::ReplacementCharacter;
    for (const QString& pattern :
         {QStringLiteral("\\S+"), QStringLiteral("."), QStringLiteral("(?<=\\W)abc")})
        QCOMPARE(viaPcre2(pattern, 0, subject, false), viaQt(pattern, 0, repaired));
}

void TestPcre2Pattern::restartAt() {
    const Pcre2Pattern re(QStringLiteral("\\d+"), Pcre2Pattern::NoOption);
    const QString subject = QStringLiteral("1 22 333");
    auto m = re.matches(subject, true);
    QVERIFY(m.next());
    QCOMPARE(m.capturedStart(0), 0);
    m.restartAt(5);
    QVERIFY(m.next());
    QCOMPARE(m.capturedStart(0), 5);
    QCOMPARE(m.capturedEnd(0), 8);
    QVERIFY(!m.next());
}

void TestPcre2Pattern::invalidPatternReportsError() {
    const Pcre2Pattern re(QStringLiteral("a(b"), Pcre2Pattern::NoOption);
    QVERIFY(!re.isValid());
    QVERIFY(!re.errorString().isEmpty());
    QCOMPARE(re.errorOffset(), 3);
    auto m = re.matches(u"ab", true);
    QVERIFY(!m.next());
}

void TestPcre2Pattern::nestedIterationsOnOneThread() {
    // Each iteration holds its own match data from the thread's pool.
    const Pcre2Pattern outer(QStringLiteral("\\w+"), Pcre2Pattern::NoOption);
    const Pcre2Pattern inner(QStringLiteral("o"), Pcre2Pattern::NoOption);
    const QString subject = QStringLiteral("foo bar boo");
    auto words = outer.matches(subject, true);
    int os = 0;
    int count = 0;
    while (words.next()) {
        ++count;
        const QStringView word =
            QStringView(subject).mid(words.capturedStart(0), words.capturedEnd(0) - words.capturedStart(0));
        auto letters = inner.matches(word, true);
        while (letters.next())
            ++os;
    }
    QCOMPARE(count, 3);
    QCOMPARE(os, 4);
}

QTEST_GUILESS_MAIN(TestPcre2Pattern)
#include "TestPcre2Pattern.moc"
