// IncrementalScan must give exactly what a full scan gives: checked on thousands of random edits of
// text full of personal data and secrets (the corpus' rows, private key blocks, logs, code), each
// edit re-detected from the previous incremental result, so any drift would accumulate and show.

#include "sanitize/IncrementalScan.h"
#include "sanitize/Sanitizer.h"
#include "text/TextEdit.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace parallax;

namespace {

SanitizerSettings settingsWithUserRule() {
    SanitizerSettings settings;
    settings.phoneRegions = {QStringLiteral("US"), QStringLiteral("DE")};
    settings.userRules.append({QStringLiteral("employee-id"), QStringLiteral("EMPLOYEE_ID"),
                               QStringLiteral(R"(\bEMP-\d{6}\b)"), false});
    return settings;
}

const QString kPrivateKey =
    QStringLiteral("-----BEGIN RSA PRIVATE KEY-----\n"
                   "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
                   "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
                   "LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo\n"
                   "-----END RSA PRIVATE KEY-----");

/// The texts of the labeled corpus and of our held-out sentences, one per line.
QStringList corpusLines() {
    QStringList lines;
    for (const char* name : {"/pii/cases.jsonl", "/pii/heldout_sentences.jsonl"}) {
        QFile file(QStringLiteral(PARALLAX_TEST_FIXTURES) + QLatin1String(name));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        while (!file.atEnd()) {
            const QString text =
                QJsonDocument::fromJson(file.readLine()).object().value(QLatin1String("text")).toString();
            if (!text.isEmpty())
                lines << text;
        }
    }
    return lines;
}

/// A few hundred lines picked from the corpus, with private key blocks and blank lines in between.
QString randomDocument(QRandomGenerator& random, const QStringList& lines, int count) {
    QString text;
    for (int i = 0; i < count; ++i) {
        const quint32 pick = random.bounded(40u);
        if (pick == 0)
            text += kPrivateKey;
        else if (pick == 1)
            text += QString();
        else if (pick == 2)
            text += QStringLiteral("2024-03-18T14:30:00Z worker-7 EMP-004417 retry id=8841 from 10.1.2.%1")
                        .arg(random.bounded(256u));
        else
            text += lines.at(qsizetype(random.bounded(quint32(lines.size()))));
        text += QLatin1Char('\n');
    }
    return text;
}

/// What a typist, a paste or a cut might do: fragments that build and break the values.
QString randomInsertion(QRandomGenerator& random, const QStringList& lines) {
    static const QStringList pieces = {
        QStringLiteral("a"),        QStringLiteral("@"),         QStringLiteral("."),
        QStringLiteral("\n"),       QStringLiteral(" "),         QStringLiteral("-"),
        QStringLiteral("7"),        QStringLiteral("555-0199"),  QStringLiteral("jane.doe@example.com"),
        QStringLiteral(":"),        QStringLiteral("\n\n"),      QStringLiteral("-----BEGIN"),
        QStringLiteral("KEY-----"), QStringLiteral("EMP-12345"), QStringLiteral("4111 1111 1111 1111"),
        QStringLiteral("é"),        QStringLiteral("😀"),         QStringLiteral("api_key=\""),
        QStringLiteral("sk-"),      QStringLiteral("+49 30 "),   QStringLiteral("192.168."),
    };
    switch (random.bounded(4u)) {
    case 0: {
        const QString line = lines.at(qsizetype(random.bounded(quint32(lines.size()))));
        const qsizetype from = qsizetype(random.bounded(quint32(line.size())));
        return line.mid(from, qsizetype(random.bounded(40u)) + 1);
    }
    case 1:
        return kPrivateKey.mid(qsizetype(random.bounded(quint32(kPrivateKey.size()))), 70);
    default:
        return pieces.at(qsizetype(random.bounded(quint32(pieces.size()))));
    }
}

QString describe(const QList<Span>& spans, const QString& text) {
    QStringList parts;
    for (const Span& span : spans)
        parts << QStringLiteral("%1-%2 %3 %4 \"%5\"")
                     .arg(span.start)
                     .arg(span.end)
                     .arg(span.type, span.rule, text.mid(span.start, span.length()).left(40));
    return parts.join(QLatin1String("; "));
}

} // namespace

class TestIncrementalScan : public QObject {
    Q_OBJECT

private slots:
    void editBetweenFindsTheSmallestChange();
    void randomEditsMatchAFullScan();
    void typingAnAddressCharacterByCharacter();
    void privateKeyBlocksAppearAndVanishAcrossLines();
    void anEditInALargeTextRescansOnlyItsParagraph();
};

void TestIncrementalScan::editBetweenFindsTheSmallestChange() {
    using Edit = TextEdit;
    auto check = [](const QString& before, const QString& after, Edit expected) {
        const Edit edit = TextEdit::between(before, after);
        QCOMPARE(edit.start, expected.start);
        QCOMPARE(edit.removed, expected.removed);
        QCOMPARE(edit.added, expected.added);
        // Applying it gives `after`.
        QString applied = before;
        applied.replace(edit.start, edit.removed, after.mid(edit.start, edit.added));
        QCOMPARE(applied, after);
    };
    check(QStringLiteral("abc"), QStringLiteral("abc"), {3, 0, 0});
    check(QStringLiteral("abc"), QStringLiteral("abXc"), {2, 0, 1});
    check(QStringLiteral("abc"), QStringLiteral("ac"), {1, 1, 0});
    check(QStringLiteral("aaaa"), QStringLiteral("aaa"), {3, 1, 0}); // repeated characters: one of them
    check(QStringLiteral(""), QStringLiteral("new"), {0, 0, 3});
    check(QStringLiteral("old"), QStringLiteral(""), {0, 3, 0});
    check(QStringLiteral("hello world"), QStringLiteral("hello there world"), {6, 0, 6});
    check(QStringLiteral("x 1234 y"), QStringLiteral("x 99 y"), {2, 4, 2});
}

void TestIncrementalScan::randomEditsMatchAFullScan() {
    const QStringList lines = corpusLines();
    QVERIFY(lines.size() > 500);
    const Sanitizer sanitizer(settingsWithUserRule());
    const quint32 seed = 20261205;
    QRandomGenerator random(seed);
    int edits = 0;
    qsizetype rescannedTotal = 0;
    qsizetype textTotal = 0;
    for (int document = 0; document < 6; ++document) {
        QString text = randomDocument(random, lines, 120);
        QList<Span> spans = sanitizer.detect(text);
        for (int step = 0; step < 400; ++step, ++edits) {
            QString next = text;
            const qsizetype at = qsizetype(random.bounded(quint32(text.size() + 1)));
            const quint32 kind = random.bounded(10u);
            if (kind < 5) {
                next.insert(at, randomInsertion(random, lines));
            } else if (kind < 8) {
                next.remove(at, qsizetype(random.bounded(kind == 7 ? 300u : 6u)));
            } else {
                next.replace(at, qsizetype(random.bounded(12u)), randomInsertion(random, lines));
            }
            TextRange rescanned;
            const QList<Span> incremental = sanitizer.redetect(text, spans, next, &rescanned);
            const QList<Span> full = sanitizer.detect(next);
            if (incremental != full) {
                const auto edit = TextEdit::between(text, next);
                QFAIL(qPrintable(
                    QStringLiteral("seed %1, document %2, step %3: edit at %4 (-%5 +%6), rescanned "
                                   "%7-%8\nincremental: %9\nfull: %10")
                        .arg(seed)
                        .arg(document)
                        .arg(step)
                        .arg(edit.start)
                        .arg(edit.removed)
                        .arg(edit.added)
                        .arg(rescanned.start)
                        .arg(rescanned.end)
                        .arg(describe(incremental, next), describe(full, next))));
            }
            rescannedTotal += rescanned.end - rescanned.start;
            textTotal += next.size();
            text = next;
            spans = incremental;
        }
    }
    // The point of it: far less is scanned than the whole text (here about 1 %; the private key
    // blocks and long removals make some edits rescan more).
    QVERIFY2(rescannedTotal * 10 < textTotal,
             qPrintable(QStringLiteral("%1 of %2 characters rescanned over %3 edits")
                            .arg(rescannedTotal)
                            .arg(textTotal)
                            .arg(edits)));
}

void TestIncrementalScan::typingAnAddressCharacterByCharacter() {
    const Sanitizer sanitizer(settingsWithUserRule());
    QString text = QStringLiteral("Dear team,\nplease write to \nThanks\n");
    const qsizetype at = text.indexOf(QLatin1String(" \n")) + 1;
    QList<Span> spans = sanitizer.detect(text);
    QVERIFY(spans.isEmpty());
    const QString typed = QStringLiteral("jane.doe@example.com or call (312) 555-0199");
    for (qsizetype i = 0; i < typed.size(); ++i) {
        const QString next = text.left(at + i) + typed.at(i) + text.mid(at + i);
        spans = sanitizer.redetect(text, spans, next);
        QCOMPARE(spans, sanitizer.detect(next));
        text = next;
    }
    QStringList types;
    for (const Span& span : spans)
        types << span.type;
    QCOMPARE(types, (QStringList{QStringLiteral("EMAIL_ADDRESS"), QStringLiteral("PHONE_NUMBER")}));
}

void TestIncrementalScan::privateKeyBlocksAppearAndVanishAcrossLines() {
    const Sanitizer sanitizer(settingsWithUserRule());
    const qsizetype endLine = kPrivateKey.indexOf(QLatin1String("-----END"));
    const QString head = kPrivateKey.left(endLine); // BEGIN and the key lines, no END yet
    QString text = QStringLiteral("config:\n") + head + QStringLiteral("\nmail ops@example.com\n");
    QList<Span> spans = sanitizer.detect(text);
    QVERIFY(std::none_of(spans.begin(), spans.end(), [](const Span& s) { return s.type == "SECRET"; }));

    // Typing the END line far below the BEGIN line makes one span of several lines.
    const qsizetype at = text.indexOf(QLatin1String("\nmail")) + 1;
    QString next = text;
    next.insert(at, QStringLiteral("-----END RSA PRIVATE KEY-----\n"));
    TextRange rescanned;
    spans = sanitizer.redetect(text, spans, next, &rescanned);
    QCOMPARE(spans, sanitizer.detect(next));
    const auto found =
        std::find_if(spans.begin(), spans.end(), [](const Span& s) { return s.type == "SECRET"; });
    QVERIFY(found != spans.end());
    const Span key = *found; // a copy: `spans` is replaced below
    QVERIFY(next.mid(key.start, key.length()).contains(QLatin1Char('\n')));
    QVERIFY(rescanned.start <= key.start && rescanned.end >= key.end);

    // An edit elsewhere keeps the block without rescanning it.
    text = next;
    next = text + QStringLiteral("more mail: ops2@example.com\n");
    spans = sanitizer.redetect(text, spans, next, &rescanned);
    QCOMPARE(spans, sanitizer.detect(next));
    QVERIFY(rescanned.start > key.end);

    // Breaking the BEGIN line dissolves the block: the lines it covered are scanned again.
    text = next;
    next = text;
    next.remove(next.indexOf(QLatin1String("BEGIN")), 5);
    spans = sanitizer.redetect(text, spans, next, &rescanned);
    QCOMPARE(spans, sanitizer.detect(next));
}

void TestIncrementalScan::anEditInALargeTextRescansOnlyItsParagraph() {
    const QStringList lines = corpusLines();
    QVERIFY(!lines.isEmpty());
    QString text;
    for (int i = 0; text.size() < 1'000'000; ++i)
        text += lines.at(i % lines.size()) + QLatin1Char('\n');
    const Sanitizer sanitizer(settingsWithUserRule());
    const QList<Span> spans = sanitizer.detect(text);
    QVERIFY(spans.size() > 1000);
    const qsizetype at = text.indexOf(QLatin1Char('\n'), text.size() / 2);
    QString next = text;
    next.insert(at, QStringLiteral(" write to jane.doe@example.com"));
    TextRange rescanned;
    const QList<Span> incremental = sanitizer.redetect(text, spans, next, &rescanned);
    QCOMPARE(incremental, sanitizer.detect(next));
    QVERIFY2(rescanned.end - rescanned.start < 2000,
             qPrintable(QStringLiteral("rescanned %1 characters").arg(rescanned.end - rescanned.start)));
    QCOMPARE(incremental.size(), spans.size() + 1);
}

QTEST_APPLESS_MAIN(TestIncrementalScan)
#include "TestIncrementalScan.moc"
