#include "net/SseParser.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace parallax;

namespace {

struct Expected {
    QByteArray type;
    QByteArray data;
    QByteArray id;
};

QList<SseEvent> parseChunks(const QList<QByteArray>& chunks) {
    SseParser parser;
    QList<SseEvent> events;
    for (const QByteArray& chunk : chunks)
        parser.feed(chunk, events);
    return events;
}

QList<SseEvent> parseChunks(const QList<QByteArray>& chunks, std::optional<SseEvent>* unterminated) {
    SseParser parser;
    QList<SseEvent> events;
    for (const QByteArray& chunk : chunks)
        parser.feed(chunk, events);
    *unterminated = parser.takeUnterminatedEvent();
    return events;
}

QByteArray join(const QList<QByteArray>& chunks) {
    QByteArray all;
    for (const QByteArray& chunk : chunks)
        all += chunk;
    return all;
}

QList<QByteArray> bytewise(const QByteArray& input) {
    QList<QByteArray> chunks;
    for (char c : input)
        chunks.append(QByteArray(1, c));
    return chunks;
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

QString describe(const QList<SseEvent>& events) {
    QStringList parts;
    for (const SseEvent& event : events) {
        parts << QStringLiteral("{type=%1 data=%2 id=%3}")
                     .arg(QString::fromUtf8(event.type), QString::fromUtf8(event.data.toHex()),
                          QString::fromUtf8(event.lastEventId));
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace

Q_DECLARE_METATYPE(Expected)

class TestSseParser : public QObject {
    Q_OBJECT

private slots:
    void fixtures_data();
    void fixtures();
    void fixtureEventWithoutDataIsNotDispatched();
    void fixtureUnterminatedEventIsOfferedAtEof();
    void fields_data();
    void fields();
    void everySplitPositionGivesOneEvent_data();
    void everySplitPositionGivesOneEvent();
    void byteOrderMark_data();
    void byteOrderMark();
    void byteOrderMarkSplitAtEveryPosition();
    void idPersistsAcrossEvents();
    void takeUnterminatedEvent_data();
    void takeUnterminatedEvent();
    void takeUnterminatedEventTwice();
    void hugeEventInSmallChunks();
};

void TestSseParser::fixtures_data() {
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<QList<Expected>>("expected");

    const QDir dir(QStringLiteral(PARALLAX_TEST_FIXTURES "/wire/sse"));
    const QStringList files = dir.entryList({QStringLiteral("*.chunks.json")}, QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 5, qPrintable(dir.absolutePath()));

    for (const QString& fileName : files) {
        QFile file(dir.absoluteFilePath(fileName));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        QJsonParseError parseError;
        const QJsonObject root = QJsonDocument::fromJson(file.readAll(), &parseError).object();
        QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(fileName));

        QList<QByteArray> recorded;
        for (const QJsonValue& hex : root.value(QLatin1String("chunks_hex")).toArray())
            recorded.append(QByteArray::fromHex(hex.toString().toLatin1()));
        QVERIFY2(!recorded.isEmpty(), qPrintable(fileName));

        // `expected` is a list, or for fixtures where implementations differ, an object of lists
        // keyed by interpretation: this parser follows the strict WHATWG rule.
        const QJsonValue expectedValue = root.value(QLatin1String("expected"));
        const QJsonArray expectedArray =
            expectedValue.isArray()
                ? expectedValue.toArray()
                : expectedValue.toObject().value(QLatin1String("whatwg_strict")).toArray();
        QVERIFY2(expectedValue.isArray() || expectedValue.toObject().contains(QLatin1String("whatwg_strict")),
                 qPrintable(fileName));
        QList<Expected> expected;
        for (const QJsonValue& value : expectedArray) {
            const QJsonObject object = value.toObject();
            expected.append(Expected{object.value(QLatin1String("event")).toString().toUtf8(),
                                     object.value(QLatin1String("data")).toString().toUtf8(),
                                     object.value(QLatin1String("id")).toString().toUtf8()});
        }

        const QByteArray whole = join(recorded);
        const QString base = fileName.chopped(int(qstrlen(".chunks.json")));
        const auto addRows = [&](const QString& endings, const QByteArray& input,
                                 const QList<QByteArray>& asRecorded) {
            const auto row = [&](const QString& mode) {
                return QStringLiteral("%1 %2 %3").arg(base, endings, mode).toUtf8();
            };
            if (!asRecorded.isEmpty())
                QTest::newRow(row(QStringLiteral("as recorded")).constData()) << asRecorded << expected;
            QTest::newRow(row(QStringLiteral("whole")).constData()) << QList<QByteArray>{input} << expected;
            QTest::newRow(row(QStringLiteral("byte by byte")).constData()) << bytewise(input) << expected;
            for (quint32 seed = 1; seed <= 3; ++seed) {
                QTest::newRow(row(QStringLiteral("random 1-7 #%1").arg(seed)).constData())
                    << randomChunks(input, seed) << expected;
            }
        };
        addRows(QStringLiteral("original"), whole, recorded);
        // Fixtures written with LF only are replayed with CRLF and CR too; mixed ones keep their bytes.
        if (!whole.contains('\r')) {
            addRows(QStringLiteral("CRLF"), QByteArray(whole).replace("\n", "\r\n"), {});
            addRows(QStringLiteral("CR"), QByteArray(whole).replace('\n', '\r'), {});
        }
    }
}

void TestSseParser::fixtures() {
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QList<Expected>, expected);

    const QList<SseEvent> events = parseChunks(chunks);
    QVERIFY2(events.size() == expected.size(), qPrintable(describe(events)));
    for (qsizetype i = 0; i < events.size(); ++i) {
        QCOMPARE(events[i].type, expected[i].type);
        QCOMPARE(events[i].data, expected[i].data);
        QCOMPARE(events[i].lastEventId, expected[i].id);
    }
}

void TestSseParser::fixtureEventWithoutDataIsNotDispatched() {
    // Both "event: ping" and "event: completion" carry no data: WHATWG dispatches nothing.
    const QList<SseEvent> events =
        parseChunks({"event: ping\n", "\n", "event: completion\n", "\n", "data: after\n\n"});
    QCOMPARE(events.size(), 1);
    // The event type of an undispatched event does not leak into the next one.
    QCOMPARE(events[0].type, QByteArray());
    QCOMPARE(events[0].data, QByteArray("after"));
}

void TestSseParser::fixtureUnterminatedEventIsOfferedAtEof() {
    QFile file(
        QStringLiteral(PARALLAX_TEST_FIXTURES "/wire/sse/mixed_line_endings_unterminated_eof.chunks.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QByteArray> chunks;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    for (const QJsonValue& hex : root.value(QLatin1String("chunks_hex")).toArray())
        chunks.append(QByteArray::fromHex(hex.toString().toLatin1()));

    std::optional<SseEvent> unterminated;
    const QList<SseEvent> events = parseChunks(chunks, &unterminated);
    QCOMPARE(events.size(), 2);
    QVERIFY(unterminated.has_value());
    QCOMPARE(unterminated->data, QByteArray("unfinished"));
    QCOMPARE(unterminated->lastEventId, QByteArray("one"));
}

void TestSseParser::fields_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<Expected>>("expected");

    QTest::newRow("comments are ignored")
        << QByteArray(": ping\n:\n: OPENROUTER PROCESSING\ndata: a\n:keep-alive\ndata: b\n\n")
        << QList<Expected>{{"", "a\nb", ""}};
    QTest::newRow("comment lines alone dispatch nothing")
        << QByteArray(": ping\n\n:\n\n") << QList<Expected>{};
    QTest::newRow("data: without space") << QByteArray("data:x\n\n") << QList<Expected>{{"", "x", ""}};
    QTest::newRow("one leading space stripped only")
        << QByteArray("data:  x\n\n") << QList<Expected>{{"", " x", ""}};
    QTest::newRow("tab is not stripped") << QByteArray("data:\tx\n\n") << QList<Expected>{{"", "\tx", ""}};
    QTest::newRow("trailing spaces kept")
        << QByteArray("data: {}   \n\n") << QList<Expected>{{"", "{}   ", ""}};
    QTest::newRow("colon in value") << QByteArray("data: {\"a\":\"b:c\"}\n\n")
                                    << QList<Expected>{{"", "{\"a\":\"b:c\"}", ""}};
    QTest::newRow("multi-line data joined with LF")
        << QByteArray("data: a\ndata: b\ndata: c\n\n") << QList<Expected>{{"", "a\nb\nc", ""}};
    QTest::newRow("empty data lines add empty lines")
        << QByteArray("data: {\ndata:\ndata\ndata: }\n\n") << QList<Expected>{{"", "{\n\n\n}", ""}};
    QTest::newRow("data: alone is an event with empty data")
        << QByteArray("data:\n\n") << QList<Expected>{{"", "", ""}};
    QTest::newRow("data without colon is an event with empty data")
        << QByteArray("data\n\n") << QList<Expected>{{"", "", ""}};
    QTest::newRow("event type applies to one event only")
        << QByteArray("event: message_start\ndata: 1\n\ndata: 2\n\n")
        << QList<Expected>{{"message_start", "1", ""}, {"", "2", ""}};
    QTest::newRow("event after data in the same block")
        << QByteArray("data: 1\nevent: delta\n\n") << QList<Expected>{{"delta", "1", ""}};
    QTest::newRow("event without space")
        << QByteArray("event:error\ndata:{}\n\n") << QList<Expected>{{"error", "{}", ""}};
    QTest::newRow("unknown fields and retry are ignored")
        << QByteArray("foo: bar\nretry: 1000\ndata: x\nDATA: y\n\n") << QList<Expected>{{"", "x", ""}};
    QTest::newRow("space before colon makes another field")
        << QByteArray("data : x\n\n") << QList<Expected>{};
    QTest::newRow("several blank lines dispatch once")
        << QByteArray("data: x\n\n\n\n") << QList<Expected>{{"", "x", ""}};
    QTest::newRow("no blank line, no event") << QByteArray("data: x\n") << QList<Expected>{};
    QTest::newRow("U+2028 inside data") << QByteArray("data: {\"t\":\"\xE2\x80\xA8\"}\n\n")
                                        << QList<Expected>{{"", "{\"t\":\"\xE2\x80\xA8\"}", ""}};
    QTest::newRow("JSON escape backslash-n stays two characters")
        << QByteArray("data: {\"t\":\"a\\nb\"}\n\n") << QList<Expected>{{"", "{\"t\":\"a\\nb\"}", ""}};
    QTest::newRow("[DONE]") << QByteArray("data: {}\n\ndata: [DONE]\n\n")
                            << QList<Expected>{{"", "{}", ""}, {"", "[DONE]", ""}};
}

void TestSseParser::fields() {
    QFETCH(QByteArray, input);
    QFETCH(QList<Expected>, expected);

    const QList<QList<QByteArray>> feedings{{input}, bytewise(input), randomChunks(input, 7)};
    for (const QList<QByteArray>& chunks : feedings) {
        const QList<SseEvent> events = parseChunks(chunks);
        QVERIFY2(events.size() == expected.size(), qPrintable(describe(events)));
        for (qsizetype i = 0; i < events.size(); ++i) {
            QCOMPARE(events[i].type, expected[i].type);
            QCOMPARE(events[i].data, expected[i].data);
            QCOMPARE(events[i].lastEventId, expected[i].id);
        }
    }
}

void TestSseParser::everySplitPositionGivesOneEvent_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("CRLF") << QByteArray("data:ok\r\n\r\n");
    QTest::newRow("LF") << QByteArray("data:ok\n\n");
    QTest::newRow("CR") << QByteArray("data:ok\r\r");
}

void TestSseParser::everySplitPositionGivesOneEvent() {
    QFETCH(QByteArray, input);
    for (qsizetype i = 0; i <= input.size(); ++i) {
        for (qsizetype j = i; j <= input.size(); ++j) {
            const QList<SseEvent> events =
                parseChunks({input.first(i), input.sliced(i, j - i), input.sliced(j)});
            const QString where = QStringLiteral("split at %1/%2: %3").arg(i).arg(j).arg(describe(events));
            QVERIFY2(events.size() == 1, qPrintable(where));
            QVERIFY2(events[0].data == "ok", qPrintable(where));
        }
    }
}

void TestSseParser::byteOrderMark_data() {
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<QList<Expected>>("expected");

    QTest::newRow("BOM whole") << QList<QByteArray>{"\xEF\xBB\xBF"
                                                    "data: a\n\n"}
                               << QList<Expected>{{"", "a", ""}};
    QTest::newRow("BOM alone, then data")
        << QList<QByteArray>{"\xEF\xBB\xBF", "data: a\n\n"} << QList<Expected>{{"", "a", ""}};
    QTest::newRow("BOM byte by byte with empty chunks")
        << QList<QByteArray>{"", "\xEF", "", "\xBB", "\xBF", "", "data: a\n\n"}
        << QList<Expected>{{"", "a", ""}};
    QTest::newRow("BOM before a field name split like it") << QList<QByteArray>{"\xEF\xBB",
                                                                                "\xBF"
                                                                                "ev",
                                                                                "ent: e\ndata: a\n\n"}
                                                           << QList<Expected>{{"e", "a", ""}};
    QTest::newRow("short first chunk without BOM")
        << QList<QByteArray>{"d", "a", "ta: a\n\n"} << QList<Expected>{{"", "a", ""}};
    QTest::newRow("first chunk is a blank line")
        << QList<QByteArray>{"\n", "data: a\n\n"} << QList<Expected>{{"", "a", ""}};
    // Only one BOM, and only at the very start, is dropped; a second one belongs to the field name.
    QTest::newRow("two BOMs") << QList<QByteArray>{"\xEF\xBB\xBF\xEF\xBB\xBF"
                                                   "data: a\n\ndata: b\n\n"}
                              << QList<Expected>{{"", "b", ""}};
    QTest::newRow("BOM later in the stream is not dropped") << QList<QByteArray>{"data: a\n\n", "\xEF\xBB\xBF"
                                                                                                "data: b\n\n"}
                                                            << QList<Expected>{{"", "a", ""}};
}

void TestSseParser::byteOrderMark() {
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QList<Expected>, expected);

    const QList<SseEvent> events = parseChunks(chunks);
    QVERIFY2(events.size() == expected.size(), qPrintable(describe(events)));
    for (qsizetype i = 0; i < events.size(); ++i) {
        QCOMPARE(events[i].type, expected[i].type);
        QCOMPARE(events[i].data, expected[i].data);
    }
}

void TestSseParser::byteOrderMarkSplitAtEveryPosition() {
    const QByteArray input("\xEF\xBB\xBF"
                           "data: \xD0\xB8\r\n\r\n");
    for (qsizetype i = 0; i <= input.size(); ++i) {
        for (qsizetype j = i; j <= input.size(); ++j) {
            const QList<SseEvent> events =
                parseChunks({input.first(i), input.sliced(i, j - i), input.sliced(j)});
            const QString where = QStringLiteral("split at %1/%2: %3").arg(i).arg(j).arg(describe(events));
            QVERIFY2(events.size() == 1, qPrintable(where));
            QVERIFY2(events[0].data == "\xD0\xB8", qPrintable(where));
        }
    }
}

void TestSseParser::idPersistsAcrossEvents() {
    // Holds a NUL byte, so its length is given explicitly.
    static const char kStream[] = "id: 7\ndata: a\n\n"
                                  "data: b\n\n"
                                  "id: 8\n\n" // no data: not dispatched, but the id is kept
                                  "data: c\n\n"
                                  "id: x\0y\ndata: d\n\n" // an id holding NUL is ignored
                                  "id\ndata: e\n\n"       // an empty id resets it
                                  "data: f\nid:9\n\n";
    const QByteArray stream(kStream, sizeof(kStream) - 1);
    QVERIFY(stream.contains('\0'));
    const QList<SseEvent> events = parseChunks(bytewise(stream));
    QCOMPARE(events.size(), 6);
    QCOMPARE(events[0].lastEventId, QByteArray("7"));
    QCOMPARE(events[1].lastEventId, QByteArray("7"));
    QCOMPARE(events[2].data, QByteArray("c"));
    QCOMPARE(events[2].lastEventId, QByteArray("8"));
    QCOMPARE(events[3].data, QByteArray("d"));
    QCOMPARE(events[3].lastEventId, QByteArray("8"));
    QCOMPARE(events[4].lastEventId, QByteArray());
    QCOMPARE(events[5].lastEventId, QByteArray("9"));
}

void TestSseParser::takeUnterminatedEvent_data() {
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<int>("dispatched");
    QTest::addColumn<bool>("offered");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("id");

    QTest::newRow("nothing fed") << QList<QByteArray>{} << 0 << false << QByteArray() << QByteArray()
                                 << QByteArray();
    QTest::newRow("data line without blank line")
        << QList<QByteArray>{"data: a\n"} << 0 << true << QByteArray() << QByteArray("a") << QByteArray();
    QTest::newRow("data line without newline")
        << QList<QByteArray>{"data: a"} << 0 << true << QByteArray() << QByteArray("a") << QByteArray();
    QTest::newRow("data line ended by CR")
        << QList<QByteArray>{"data: a\r"} << 0 << true << QByteArray() << QByteArray("a") << QByteArray();
    QTest::newRow("multi-line, last line unterminated")
        << QList<QByteArray>{"data: a\nda", "ta: b"} << 0 << true << QByteArray() << QByteArray("a\nb")
        << QByteArray();
    QTest::newRow("type and id kept")
        << QList<QByteArray>{"id: 3\nevent: message_stop\ndata: {}"} << 0 << true
        << QByteArray("message_stop") << QByteArray("{}") << QByteArray("3");
    QTest::newRow("after a complete event") << QList<QByteArray>{"data: a\n\ndata: b"} << 1 << true
                                            << QByteArray() << QByteArray("b") << QByteArray();
    QTest::newRow("everything dispatched")
        << QList<QByteArray>{"data: a\n\n"} << 1 << false << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("event type without data")
        << QList<QByteArray>{"event: ping\n"} << 0 << false << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("unterminated comment") << QList<QByteArray>{"data: a\n\n: keep-alive"} << 1 << false
                                          << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("half a BOM only") << QList<QByteArray>{"\xEF\xBB"} << 0 << false << QByteArray()
                                     << QByteArray() << QByteArray();
    QTest::newRow("BOM and unterminated data")
        << QList<QByteArray>{"\xEF\xBB\xBF"
                             "data: a"}
        << 0 << true << QByteArray() << QByteArray("a") << QByteArray();
}

void TestSseParser::takeUnterminatedEvent() {
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(int, dispatched);
    QFETCH(bool, offered);
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, id);

    std::optional<SseEvent> unterminated;
    const QList<SseEvent> events = parseChunks(chunks, &unterminated);
    QCOMPARE(events.size(), dispatched);
    QCOMPARE(unterminated.has_value(), offered);
    if (offered) {
        QCOMPARE(unterminated->type, type);
        QCOMPARE(unterminated->data, data);
        QCOMPARE(unterminated->lastEventId, id);
    }
}

void TestSseParser::takeUnterminatedEventTwice() {
    SseParser parser;
    QList<SseEvent> events;
    parser.feed("event: x\ndata: a", events);
    QVERIFY(events.isEmpty());
    const auto first = parser.takeUnterminatedEvent();
    QVERIFY(first.has_value());
    QCOMPARE(first->data, QByteArray("a"));
    QVERIFY(!parser.takeUnterminatedEvent().has_value());

    // The taken event is gone: what follows is a fresh event.
    parser.feed("data: b\n\n", events);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].type, QByteArray());
    QCOMPARE(events[0].data, QByteArray("b"));
}

void TestSseParser::hugeEventInSmallChunks() {
    constexpr qsizetype kPayloadSize = 10 * 1024 * 1024;
    QByteArray payload;
    payload.reserve(kPayloadSize);
    const QByteArray pattern(
        "{\"b64\":\"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/\"}");
    while (payload.size() < kPayloadSize)
        payload.append(pattern);
    payload.truncate(kPayloadSize);

    const QByteArray stream = "event: big\ndata: " + payload + "\n\ndata: next\n\n";
    SseParser parser;
    QList<SseEvent> events;
    constexpr qsizetype kChunk = 4096;
    for (qsizetype position = 0; position < stream.size(); position += kChunk)
        parser.feed(QByteArrayView(stream).sliced(position, std::min(kChunk, stream.size() - position)),
                    events);

    QCOMPARE(events.size(), 2);
    QCOMPARE(events[0].type, QByteArray("big"));
    QCOMPARE(events[0].data.size(), kPayloadSize);
    QVERIFY(events[0].data == payload);
    QCOMPARE(events[1].data, QByteArray("next"));
    QVERIFY(!parser.takeUnterminatedEvent().has_value());
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "TestSseParser.moc"
