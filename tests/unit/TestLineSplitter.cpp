#include "net/LineSplitter.h"

#include <QRandomGenerator>
#include <QTest>

using namespace parallax;

namespace {

struct Split {
    QList<QByteArray> lines;
    QByteArray remainder;
};

Split splitChunks(const QList<QByteArray>& chunks) {
    LineSplitter splitter;
    Split result;
    for (const QByteArray& chunk : chunks)
        splitter.feed(chunk, [&](QByteArrayView line) { result.lines.append(line.toByteArray()); });
    result.remainder = splitter.takeRemainder();
    return result;
}

} // namespace

class TestLineSplitter : public QObject {
    Q_OBJECT

private slots:
    void splitsLines_data();
    void splitsLines();
    void everySplitPositionGivesTheSameLines_data();
    void everySplitPositionGivesTheSameLines();
    void randomChunkingMatchesWholeFeed();
    void remainder();
    void remainderEndsWithCarriageReturn();
};

void TestLineSplitter::splitsLines_data() {
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::addColumn<QByteArray>("remainder");

    QTest::newRow("LF") << QList<QByteArray>{"a\nb\n"} << QList<QByteArray>{"a", "b"} << QByteArray();
    QTest::newRow("CR") << QList<QByteArray>{"a\rb\r"} << QList<QByteArray>{"a", "b"} << QByteArray();
    QTest::newRow("CRLF") << QList<QByteArray>{"a\r\nb\r\n"} << QList<QByteArray>{"a", "b"} << QByteArray();
    QTest::newRow("CR|LF over two chunks is one line end")
        << QList<QByteArray>{"a\r", "\nb\n"} << QList<QByteArray>{"a", "b"} << QByteArray();
    QTest::newRow("CR|empty|LF is one line end")
        << QList<QByteArray>{"a\r", "", "\nb\n"} << QList<QByteArray>{"a", "b"} << QByteArray();
    QTest::newRow("CR|CR over two chunks is two line ends")
        << QList<QByteArray>{"a\r", "\rb\n"} << QList<QByteArray>{"a", "", "b"} << QByteArray();
    QTest::newRow("CR|text: the LF skip applies to the next byte only")
        << QList<QByteArray>{"a\r", "b\n", "\n"} << QList<QByteArray>{"a", "b", ""} << QByteArray();
    QTest::newRow("CR CR") << QList<QByteArray>{"a\r\rb"} << QList<QByteArray>{"a", ""} << QByteArray("b");
    QTest::newRow("LF CR") << QList<QByteArray>{"a\n\rb\n"} << QList<QByteArray>{"a", "", "b"}
                           << QByteArray();
    QTest::newRow("CRLF LF") << QList<QByteArray>{"a\r\n\n"} << QList<QByteArray>{"a", ""} << QByteArray();
    QTest::newRow("CRLF CRLF") << QList<QByteArray>{"a\r\n\r\n"} << QList<QByteArray>{"a", ""}
                               << QByteArray();
    QTest::newRow("empty lines only")
        << QList<QByteArray>{"\n\n\r\n\r"} << QList<QByteArray>{"", "", "", ""} << QByteArray();
    QTest::newRow("line cut into pieces")
        << QList<QByteArray>{"da", "ta:", "o", "k\n"} << QList<QByteArray>{"data:ok"} << QByteArray();
    QTest::newRow("LF inside chunk after pieces")
        << QList<QByteArray>{"da", "ta:ok\nnext"} << QList<QByteArray>{"data:ok"} << QByteArray("next");
    QTest::newRow("U+2028 is not a line break")
        << QList<QByteArray>{"a\xE2\x80\xA8z\n"} << QList<QByteArray>{"a\xE2\x80\xA8z"} << QByteArray();
    QTest::newRow("U+2028 cut over chunks") << QList<QByteArray>{"a\xE2", "\x80", "\xA8z\n"}
                                            << QList<QByteArray>{"a\xE2\x80\xA8z"} << QByteArray();
    QTest::newRow("U+2029, NEL, VT and FF are not line breaks") << QList<QByteArray>{"a\xE2\x80\xA9"
                                                                                     "b\xC2\x85"
                                                                                     "c\x0B"
                                                                                     "d\x0C"
                                                                                     "e\n"}
                                                                << QList<QByteArray>{"a\xE2\x80\xA9"
                                                                                     "b\xC2\x85"
                                                                                     "c\x0B"
                                                                                     "d\x0C"
                                                                                     "e"}
                                                                << QByteArray();
    QTest::newRow("no terminator at all")
        << QList<QByteArray>{"abc", "def"} << QList<QByteArray>{} << QByteArray("abcdef");
    QTest::newRow("nothing") << QList<QByteArray>{} << QList<QByteArray>{} << QByteArray();
    QTest::newRow("empty chunks only") << QList<QByteArray>{"", ""} << QList<QByteArray>{} << QByteArray();
}

void TestLineSplitter::splitsLines() {
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QList<QByteArray>, lines);
    QFETCH(QByteArray, remainder);

    const Split result = splitChunks(chunks);
    QCOMPARE(result.lines, lines);
    QCOMPARE(result.remainder, remainder);
}

void TestLineSplitter::everySplitPositionGivesTheSameLines_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("CRLF") << QByteArray("data:ok\r\n\r\n");
    QTest::newRow("LF") << QByteArray("data:ok\n\n");
    QTest::newRow("CR") << QByteArray("data:ok\r\r");
}

// As openai-python's test_every_chunk_boundary: cut at every i <= j, the middle chunk may be empty.
void TestLineSplitter::everySplitPositionGivesTheSameLines() {
    QFETCH(QByteArray, input);
    const QList<QByteArray> expected{"data:ok", ""};
    for (qsizetype i = 0; i <= input.size(); ++i) {
        for (qsizetype j = i; j <= input.size(); ++j) {
            const QList<QByteArray> chunks{input.first(i), input.sliced(i, j - i), input.sliced(j)};
            const Split result = splitChunks(chunks);
            if (result.lines != expected || !result.remainder.isEmpty())
                QFAIL(qPrintable(QStringLiteral("split at %1/%2 gave %3 lines, remainder '%4'")
                                     .arg(i)
                                     .arg(j)
                                     .arg(result.lines.size())
                                     .arg(QString::fromLatin1(result.remainder.toHex()))));
        }
    }
}

void TestLineSplitter::randomChunkingMatchesWholeFeed() {
    const QByteArray input("id:one\r\ndata:\xD0\xB8\xD0\xB7\r\n\ndata:two\n\rdata:x\xE2\x80\xA8y\r\n\r\r\n"
                           "data:last\rtail");
    const Split whole = splitChunks({input});
    QCOMPARE(whole.lines, (QList<QByteArray>{"id:one", "data:\xD0\xB8\xD0\xB7", "", "data:two", "",
                                             "data:x\xE2\x80\xA8y", "", "", "data:last"}));
    QCOMPARE(whole.remainder, QByteArray("tail"));

    QRandomGenerator random(20240601); // fixed seed: a failure must be reproducible
    for (int round = 0; round < 500; ++round) {
        QList<QByteArray> chunks;
        qsizetype position = 0;
        while (position < input.size()) {
            const qsizetype length = std::min<qsizetype>(random.bounded(1, 8), input.size() - position);
            chunks.append(input.sliced(position, length));
            position += length;
        }
        const Split pieces = splitChunks(chunks);
        QCOMPARE(pieces.lines, whole.lines);
        QCOMPARE(pieces.remainder, whole.remainder);
    }
}

void TestLineSplitter::remainder() {
    LineSplitter splitter;
    QList<QByteArray> lines;
    const auto collect = [&](QByteArrayView line) { lines.append(line.toByteArray()); };

    QVERIFY(!splitter.hasRemainder());
    splitter.feed("first\nsec", collect);
    QCOMPARE(lines, QList<QByteArray>{"first"});
    QVERIFY(splitter.hasRemainder());
    splitter.feed("ond", collect);
    QCOMPARE(lines, QList<QByteArray>{"first"});

    QCOMPARE(splitter.takeRemainder(), QByteArray("second"));
    QVERIFY(!splitter.hasRemainder());
    QCOMPARE(splitter.takeRemainder(), QByteArray());

    // The remainder taken away is not part of later lines.
    splitter.feed("third\n", collect);
    QCOMPARE(lines, (QList<QByteArray>{"first", "third"}));
    QVERIFY(!splitter.hasRemainder());
}

void TestLineSplitter::remainderEndsWithCarriageReturn() {
    LineSplitter splitter;
    QList<QByteArray> lines;
    splitter.feed("a\r", [&](QByteArrayView line) { lines.append(line.toByteArray()); });
    QCOMPARE(lines, QList<QByteArray>{"a"});
    QVERIFY(!splitter.hasRemainder());
    QCOMPARE(splitter.takeRemainder(), QByteArray());
}

QTEST_GUILESS_MAIN(TestLineSplitter)
#include "TestLineSplitter.moc"
