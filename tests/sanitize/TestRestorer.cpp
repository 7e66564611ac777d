#include "sanitize/Restorer.h"

#include <QTest>

using namespace parallax;

namespace {
Vault sampleVault() {
    Vault vault;
    vault.placeholderFor(QStringLiteral("EMAIL_ADDRESS"), QStringLiteral("bob@example.com"));
    vault.placeholderFor(QStringLiteral("PHONE_NUMBER"), QStringLiteral("+1 415 555 0132"));
    return vault;
}
} // namespace

class TestRestorer : public QObject {
    Q_OBJECT

private slots:
    void wholeText();
    void everySplitPositionRestoresTheSame();
    void holdsBackOnlyPossiblePlaceholders();
    void unknownPlaceholderStays();
};

void TestRestorer::wholeText() {
    QCOMPARE(Restorer::restore(u"Mail [EMAIL_ADDRESS_1] or call [PHONE_NUMBER_1].", sampleVault()),
             QStringLiteral("Mail bob@example.com or call +1 415 555 0132."));
}

void TestRestorer::everySplitPositionRestoresTheSame() {
    const QString answer =
        QStringLiteral("[EMAIL_ADDRESS_1] wrote: [x] call [PHONE_NUMBER_1][EMAIL_ADDRESS_1]");
    const QString expected = Restorer::restore(answer, sampleVault());
    for (qsizetype a = 0; a <= answer.size(); ++a) {
        for (qsizetype b = a; b <= answer.size(); ++b) {
            Restorer restorer(sampleVault());
            QString out = restorer.push(QStringView(answer).left(a));
            out += restorer.push(QStringView(answer).mid(a, b - a));
            out += restorer.push(QStringView(answer).mid(b));
            out += restorer.finish();
            QCOMPARE(out, expected);
        }
    }
}

void TestRestorer::holdsBackOnlyPossiblePlaceholders() {
    Restorer restorer(sampleVault());
    QCOMPARE(restorer.push(u"Write to [EMAIL_AD"), QStringLiteral("Write to "));
    QCOMPARE(restorer.push(u"DRESS_1] now [see"), QStringLiteral("Write to bob@example.com now [see").mid(9));
    QCOMPARE(restorer.finish(), QString());
    Restorer second(sampleVault());
    QCOMPARE(second.push(u"array[i"), QStringLiteral("array[i")); // cannot become a placeholder
}

void TestRestorer::unknownPlaceholderStays() {
    Restorer restorer(sampleVault());
    QCOMPARE(restorer.push(u"[EMAIL_ADDRESS_9] and [EMAIL_ADDRESS_"),
             QStringLiteral("[EMAIL_ADDRESS_9] and "));
    QCOMPARE(restorer.finish(), QStringLiteral("[EMAIL_ADDRESS_"));
}

QTEST_GUILESS_MAIN(TestRestorer)
#include "TestRestorer.moc"
