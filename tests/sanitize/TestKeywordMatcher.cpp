#include "sanitize/BuiltinRules.h"
#include "sanitize/KeywordMatcher.h"

#include <QRandomGenerator>
#include <QTest>

#include <vector>

using namespace parallax;

// The keyword automaton must report every occurrence of every keyword (ASCII letters compared
// without case), and scan(), which reads in four interleaved lanes, exactly what next() reports
// character by character.
class TestKeywordMatcher : public QObject {
    Q_OBJECT

private slots:
    void findsEveryOccurrence();
    void scanEqualsStepByStep();
};

namespace {

QStringList builtinKeywords() {
    QStringList keywords;
    for (const Rule& rule : BuiltinRules::all()) {
        for (const QString& keyword : rule.keywords)
            keywords << keyword.toLower();
    }
    return keywords;
}

struct Occurrence {
    qsizetype last;
    int keyword;
    friend bool operator==(const Occurrence& a, const Occurrence& b) {
        return a.last == b.last && a.keyword == b.keyword;
    }
    friend bool operator<(const Occurrence& a, const Occurrence& b) {
        return a.last != b.last ? a.last < b.last : a.keyword < b.keyword;
    }
};

// Text made of keywords (some upper-cased, some cut short), their neighbours and other characters,
// including non-ASCII ones that must break a keyword.
QString randomText(QRandomGenerator& random, const QStringList& keywords, int pieces) {
    static const QStringList other = {QStringLiteral(" "),  QStringLiteral("\n"), QStringLiteral("_"),
                                      QStringLiteral("="),  QStringLiteral("é"),  QStringLiteral("😀"),
                                      QStringLiteral("ß"),  QStringLiteral("K"),  QStringLiteral("x"),
                                      QStringLiteral("se"), QStringLiteral("ke"), QStringLiteral("-----")};
    QString text;
    for (int i = 0; i < pieces; ++i) {
        const quint32 pick = random.bounded(10u);
        if (pick < 5) {
            QString keyword = keywords.at(random.bounded(static_cast<int>(keywords.size())));
            if (random.bounded(3u) == 0)
                keyword = keyword.toUpper();
            if (random.bounded(4u) == 0)
                keyword.chop(random.bounded(static_cast<int>(keyword.size())));
            text += keyword;
        } else {
            text += other.at(random.bounded(static_cast<int>(other.size())));
        }
    }
    return text;
}

std::vector<Occurrence> naive(const QString& text, const QStringList& keywords) {
    std::vector<Occurrence> found;
    for (int k = 0; k < keywords.size(); ++k) {
        const QString& keyword = keywords.at(k);
        for (qsizetype at = 0; at + keyword.size() <= text.size(); ++at) {
            bool equal = true;
            for (qsizetype i = 0; i < keyword.size() && equal; ++i) {
                const char16_t c = text.at(at + i).unicode();
                const char16_t folded = c >= u'A' && c <= u'Z' ? char16_t(c + 32) : c;
                equal = folded == keyword.at(i).unicode();
            }
            if (equal)
                found.push_back({at + keyword.size() - 1, k});
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::vector<Occurrence> occurrences(const KeywordMatcher& matcher,
                                    const std::vector<KeywordMatcher::Hit>& hits) {
    std::vector<Occurrence> found;
    for (const KeywordMatcher::Hit& hit : hits) {
        for (int keyword : matcher.outputs(hit.state))
            found.push_back({hit.last, keyword});
    }
    std::sort(found.begin(), found.end());
    return found;
}

} // namespace

void TestKeywordMatcher::findsEveryOccurrence() {
    const QStringList keywords = builtinKeywords();
    const KeywordMatcher matcher(keywords);
    QRandomGenerator random(4);
    int total = 0;
    for (int i = 0; i < 2000; ++i) {
        const QString text = randomText(random, keywords, random.bounded(1, 60));
        std::vector<KeywordMatcher::Hit> hits;
        int state = matcher.root();
        for (qsizetype at = 0; at < text.size(); ++at) {
            state = matcher.next(state, text.at(at).unicode());
            if (matcher.hasOutput(state))
                hits.push_back({at, state});
        }
        const std::vector<Occurrence> expected = naive(text, keywords);
        QVERIFY2(occurrences(matcher, hits) == expected, qPrintable(text));
        total += static_cast<int>(expected.size());
    }
    QVERIFY(total > 10000);
}

void TestKeywordMatcher::scanEqualsStepByStep() {
    const QStringList keywords = builtinKeywords();
    const KeywordMatcher matcher(keywords);
    QRandomGenerator random(5);
    for (int i = 0; i < 600; ++i) {
        // From a few characters (one lane) to several thousand (four lanes, keywords across the
        // lane boundaries).
        const QString text = randomText(random, keywords, random.bounded(1, 1500));
        const auto* data = reinterpret_cast<const char16_t*>(text.constData());
        std::vector<KeywordMatcher::Hit> expected;
        int state = matcher.root();
        for (qsizetype at = 0; at < text.size(); ++at) {
            state = matcher.next(state, data[at]);
            if (matcher.hasOutput(state))
                expected.push_back({at, state});
        }
        // Whole, and in random stretches carrying the state over, as the detector reads.
        std::vector<KeywordMatcher::Hit> whole;
        QCOMPARE(matcher.scan(data, 0, text.size(), matcher.root(), whole), state);
        std::vector<KeywordMatcher::Hit> pieces;
        int carried = matcher.root();
        for (qsizetype from = 0; from < text.size();) {
            const qsizetype to = std::min(text.size(), from + random.bounded(1, 3000));
            carried = matcher.scan(data, from, to, carried, pieces);
            from = to;
        }
        QCOMPARE(carried, state);
        for (const std::vector<KeywordMatcher::Hit>* hits : {&whole, &pieces}) {
            QCOMPARE(hits->size(), expected.size());
            for (size_t k = 0; k < expected.size(); ++k) {
                QCOMPARE((*hits)[k].last, expected[k].last);
                QCOMPARE((*hits)[k].state, expected[k].state);
            }
        }
    }
}

QTEST_GUILESS_MAIN(TestKeywordMatcher)
#include "TestKeywordMatcher.moc"
