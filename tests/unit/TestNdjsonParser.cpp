#include "net/NdjsonParser.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace parallax;

namespace {

struct Parsed {
    QList<QByteArray> fromFeed;
    QList<QByteArray> fromFinish;

    QList<QByteArray> all() const { return fromFeed + fromFinish; }
};

Parsed parseChunks(const QList<QByteArray>& chunks) {
    NdjsonParser parser;
    Parsed parsed;
    for (const QByteArray& chunk : chunks)
        parser.feed(chunk, parsed.fromFeed);
    parser.finish(parsed.fromFinish);
    return parsed;
}

QList<QByteArray> randomChunks(const QByteArray& input, quint32 seed) {
    QRandomGenerator random(seed);
    QList<QByteArray> chunks;
    qsizetype position = 0;
    while (position < input.size()) {
        const qsizetype length = std::min<qsizetype>(random.bounded(1, 8), input.size() - position);
        chunks.append(input.sliced(position, length));
        position += length;
    }
    return chunks;
}

QList<QByteArray> bytewise(const QByteArray& input) {
    QList<QByteArray> chunks;
    for (char c : input)
        chunks.append(QByteArray(1, c));
    return chunks;
}

} // namespace

class TestNdjsonParser : public QObject {
    Q_OBJECT

private slots:
    void lines_data();
    void lines();
    void fixtures_data();
    void fixtures();
};

void TestNdjsonParser::lines_data() {
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<QList<QByteArray>>("fromFeed");
    QTest::addColumn<QList<QByteArray>>("fromFinish");

    QTest::newRow("LF") << QList<QByteArray>{"{\"a\":1}\n{\"b\":2}\n"}
                        << QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"} << QList<QByteArray>{};
    QTest::newRow("blank lines skipped")
        << QList<QByteArray>{"\n\n{\"a\":1}\n\n\n{\"b\":2}\n\n"}
        << QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"} << QList<QByteArray>{};
    QTest::newRow("whitespace-only lines skipped")
        << QList<QByteArray>{"{\"a\":1}\n   \n\t\n \r\n{\"b\":2}\n"}
        << QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"} << QList<QByteArray>{};
    QTest::newRow("last line without newline comes from finish")
        << QList<QByteArray>{"{\"a\":1}\n{\"b\":2}"} << QList<QByteArray>{"{\"a\":1}"}
        << QList<QByteArray>{"{\"b\":2}"};
    QTest::newRow("only an unterminated line") << QList<QByteArray>{"{\"done\":", "true}"}
                                               << QList<QByteArray>{} << QList<QByteArray>{"{\"done\":true}"};
    QTest::newRow("whitespace remainder is not a line")
        << QList<QByteArray>{"{\"a\":1}\n  \t"} << QList<QByteArray>{"{\"a\":1}"} << QList<QByteArray>{};
    QTest::newRow("CRLF tolerated") << QList<QByteArray>{"{\"a\":1}\r\n{\"b\":2}\r\n"}
                                    << QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"} << QList<QByteArray>{};
    QTest::newRow("CRLF split between chunks")
        << QList<QByteArray>{"{\"a\":1}\r", "\n{\"b\":2}\r", "\n"}
        << QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"} << QList<QByteArray>{};
    QTest::newRow("line split into many chunks")
        << QList<QByteArray>{"{\"mes", "sage\":{\"content\":\"h", "i\"}}", "\n{\"done\":true}\n"}
        << QList<QByteArray>{"{\"message\":{\"content\":\"hi\"}}", "{\"done\":true}"} << QList<QByteArray>{};
    QTest::newRow("multi-byte character split")
        << QList<QByteArray>{"{\"t\":\"\xE4", "\xBD", "\xA0\"}\n"}
        << QList<QByteArray>{"{\"t\":\"\xE4\xBD\xA0\"}"} << QList<QByteArray>{};
    QTest::newRow("U+2028 is not a line break")
        << QList<QByteArray>{"{\"t\":\"a\xE2\x80\xA8z\"}\n"}
        << QList<QByteArray>{"{\"t\":\"a\xE2\x80\xA8z\"}"} << QList<QByteArray>{};
    QTest::newRow("empty stream") << QList<QByteArray>{} << QList<QByteArray>{} << QList<QByteArray>{};
    QTest::newRow("empty chunks") << QList<QByteArray>{"", "", ""} << QList<QByteArray>{}
                                  << QList<QByteArray>{};
}

void TestNdjsonParser::lines() {
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QList<QByteArray>, fromFeed);
    QFETCH(QList<QByteArray>, fromFinish);

    const Parsed parsed = parseChunks(chunks);
    QCOMPARE(parsed.fromFeed, fromFeed);
    QCOMPARE(parsed.fromFinish, fromFinish);
}

void TestNdjsonParser::fixtures_data() {
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<int>("expectedLines");
    QTest::addColumn<QByteArray>("lastLineContains");

    QTest::newRow("generate_stream_docs")
        << QStringLiteral("generate_stream_docs.ndjson") << 7 << QByteArray("\"done\":true");
    QTest::newRow("generate_error_midstream")
        << QStringLiteral("generate_error_midstream.ndjson") << 5
        << QByteArray("{\"error\":\"an error was encountered while running the model\"}");
}

// Every fixture fed whole, byte by byte and in random 1-7 byte chunks, with LF, CRLF, CR and without
// the final newline: always the same JSON lines.
void TestNdjsonParser::fixtures() {
    QFETCH(QString, fileName);
    QFETCH(int, expectedLines);
    QFETCH(QByteArray, lastLineContains);

    QFile file(QStringLiteral(PARALLAX_TEST_FIXTURES "/wire/ollama/") + fileName);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    const QByteArray original = file.readAll();
    QVERIFY(!original.contains('\r'));

    const Parsed reference = parseChunks({original});
    QCOMPARE(reference.all().size(), expectedLines);
    QVERIFY2(reference.all().last().contains(lastLineContains), reference.all().last().constData());
    for (const QByteArray& line : reference.all()) {
        QJsonParseError error;
        QVERIFY2(QJsonDocument::fromJson(line, &error).isObject(), line.constData());
    }

    const QList<QPair<QString, QByteArray>> variants{
        {QStringLiteral("LF"), original},
        {QStringLiteral("CRLF"), QByteArray(original).replace("\n", "\r\n")},
        {QStringLiteral("CR"), QByteArray(original).replace('\n', '\r')},
        {QStringLiteral("no final newline"), original.trimmed()},
        {QStringLiteral("blank lines between"), QByteArray(original).replace("\n", "\n\n \n")},
    };
    for (const auto& [name, input] : variants) {
        QList<QList<QByteArray>> feedings{{input}, bytewise(input)};
        for (quint32 seed = 1; seed <= 5; ++seed)
            feedings.append(randomChunks(input, seed));
        for (const QList<QByteArray>& chunks : feedings) {
            const QList<QByteArray> lines = parseChunks(chunks).all();
            QVERIFY2(lines == reference.all(), qPrintable(name));
        }
    }
}

QTEST_GUILESS_MAIN(TestNdjsonParser)
#include "TestNdjsonParser.moc"
