#include "sanitize/BuiltinRules.h"
#include "sanitize/Detector.h"

#include <QRandomGenerator>
#include <QTest>

using namespace parallax;

// Rule::keywordReach and Rule::keywordRun let the detector try only the match starts in front of
// keyword hits, and Rule::assignmentAfterKeyword only the hits followed by ':' or '='. The
// generic-secret, e-mail and URL rules declare them, so the spans must equal those of a full scan.
class TestKeywordReach : public QObject {
    Q_OBJECT

private slots:
    void sameSpansAsFullScan();
};

void TestKeywordReach::sameSpansAsFullScan() {
    QList<Rule> byKeyword;
    QList<Rule> fullScan;
    for (const Rule& rule : BuiltinRules::all()) {
        if (!rule.searchedAroundKeywords())
            continue;
        byKeyword << rule;
        Rule copy = rule;
        copy.keywordReach = -1;
        copy.keywordRun.clear();
        copy.assignmentAfterKeyword = false;
        QVERIFY(!copy.searchedAroundKeywords());
        fullScan << copy;
    }
    QCOMPARE(byKeyword.size(), 3);
    const Detector fast(byKeyword, {QStringLiteral("US")}, false);
    const Detector slow(fullScan, {QStringLiteral("US")}, false);
    static const QStringList pieces = {
        QStringLiteral("password"),
        QStringLiteral("passwd"),
        QStringLiteral("pwd"),
        QStringLiteral("secret"),
        QStringLiteral("token"),
        QStringLiteral("api_key"),
        QStringLiteral("api-key"),
        QStringLiteral("ACCESS.KEY"),
        QStringLiteral("auth_key"),
        QStringLiteral("credentials"),
        QStringLiteral("private_key"),
        QStringLiteral("PRIVATE-KEY"),
        QStringLiteral("key"),
        QStringLiteral("pass"),
        QStringLiteral("="),
        QStringLiteral(":"),
        QStringLiteral(":="),
        QStringLiteral("=>"),
        QStringLiteral(" "),
        QStringLiteral(" "),
        QStringLiteral("\""),
        QStringLiteral("'"),
        QStringLiteral("`"),
        QStringLiteral("{"),
        QStringLiteral("("),
        QStringLiteral(","),
        QStringLiteral(";"),
        QStringLiteral("&"),
        QStringLiteral("?"),
        QStringLiteral("_"),
        QStringLiteral("."),
        QStringLiteral("-"),
        QStringLiteral("aB3dE5gH7jK9"),
        QStringLiteral("x9Y8z7W6v5U4t3S2"),
        QStringLiteral("abcdefgh"),
        QStringLiteral("my_database_name"),
        QStringLiteral("\t"),
        QStringLiteral("\n"),
        QStringLiteral("\u017F"), // long s folds to 's'
        QStringLiteral("\u212A"), // Kelvin sign folds to 'k'
        QStringLiteral("@"),
        QStringLiteral("@"),
        QStringLiteral("[at]"),
        QStringLiteral("[AT]"),
        QStringLiteral("[dot]"),
        QStringLiteral("jane.doe"),
        QStringLiteral("o'brien+tag"),
        QStringLiteral("example.com"),
        QStringLiteral("mail.example.org"),
        QStringLiteral("!#$%&*/?^`{|}~"),
        QStringLiteral("\v"),
        QStringLiteral("\r"),
        QStringLiteral("://"),
        QStringLiteral("https://"),
        QStringLiteral("HTTP"),
        QStringLiteral("s"),
        QStringLiteral("ldaps"),
        QStringLiteral("sftp"),
        QStringLiteral("xhttps://"),
        QStringLiteral("user:pw@"),
        QStringLiteral("/path?q=1#f"),
        QStringLiteral("[::1]:8080"),
    };
    QRandomGenerator random(5);
    int spans = 0;
    for (int i = 0; i < 30000; ++i) {
        QString text;
        const int count = random.bounded(2, 30);
        for (int k = 0; k < count; ++k)
            text += pieces.at(random.bounded(static_cast<int>(pieces.size())));
        const QList<Span> expected = slow.detect(text);
        QVERIFY2(fast.detect(text) == expected, qPrintable(text));
        spans += static_cast<int>(expected.size());
    }
    QVERIFY(spans > 1000);
}

QTEST_GUILESS_MAIN(TestKeywordReach)
#include "TestKeywordReach.moc"
