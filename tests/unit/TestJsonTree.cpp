#include "json/JsonTree.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRandomGenerator>
#include <QTest>

using namespace parallax;

namespace {

// Random JSON text: nested objects and arrays, strings with every kind of escape and UTF-8, numbers
// in every form (integers past 64 bits, fractions, exponents), repeated keys, random whitespace.
class JsonGenerator {
public:
    explicit JsonGenerator(quint32 seed)
        : m_random(seed) {}

    QByteArray document() {
        QByteArray out;
        space(out);
        if (m_random.bounded(2))
            object(out, 0);
        else
            array(out, 0);
        space(out);
        return out;
    }

    QRandomGenerator& random() { return m_random; }

private:
    void space(QByteArray& out) {
        static const char spaces[] = {' ', '\t', '\n', '\r'};
        for (int n = int(m_random.bounded(3)); n > 0; --n)
            out += spaces[m_random.bounded(4)];
    }

    void value(QByteArray& out, int depth) {
        const int kind = int(m_random.bounded(depth > 4 ? 5 : 7));
        switch (kind) {
        case 0:
            string(out);
            break;
        case 1:
            number(out);
            break;
        case 2:
            out += "true";
            break;
        case 3:
            out += m_random.bounded(2) ? "false" : "null";
            break;
        case 4:
            string(out);
            break;
        case 5:
            object(out, depth + 1);
            break;
        default:
            array(out, depth + 1);
            break;
        }
    }

    void object(QByteArray& out, int depth) {
        out += '{';
        static const char* const keys[] = {
            "choices", "delta",     "content", "index", "usage",         "a",
            "",        "k\\u0065y", "\\n",     "é",     "finish_reason", "tool_calls"};
        for (int n = int(m_random.bounded(5)), i = 0; i < n; ++i) {
            if (i)
                out += ',';
            space(out);
            out += '"';
            out += keys[m_random.bounded(int(std::size(keys)))];
            out += '"';
            space(out);
            out += ':';
            space(out);
            value(out, depth);
            space(out);
        }
        out += '}';
    }

    void array(QByteArray& out, int depth) {
        out += '[';
        for (int n = int(m_random.bounded(5)), i = 0; i < n; ++i) {
            if (i)
                out += ',';
            space(out);
            value(out, depth);
            space(out);
        }
        out += ']';
    }

    void string(QByteArray& out) {
        static const char* const pieces[] = {"a",           " word",   "\\\"",    "\\\\",    "\\/",
                                             "\\b",         "\\f",     "\\n",     "\\r",     "\\t",
                                             "é",           "中",      "😀",       "\\u00e9", "\\ud83d\\ude00",
                                             "\\ud800",     "\\uDC00", "\\u0000", "'",       "[x]",
                                             "\xe2\x80\xa8"};
        out += '"';
        for (int n = int(m_random.bounded(5)); n > 0; --n)
            out += pieces[m_random.bounded(int(std::size(pieces)))];
        out += '"';
    }

    void number(QByteArray& out) {
        static const char* const numbers[] = {"0",
                                              "-0",
                                              "7",
                                              "-12",
                                              "1.5",
                                              "-0.25",
                                              "1e3",
                                              "2E-2",
                                              "1e+2",
                                              "9007199254740993",
                                              "9223372036854775807",
                                              "9223372036854775808",
                                              "-9223372036854775809",
                                              "123.000",
                                              "1e308",
                                              "4.9e-324",
                                              "0.1"};
        out += numbers[m_random.bounded(int(std::size(numbers)))];
    }

    QRandomGenerator m_random;
};

// Byte-level damage: what a broken server or a cut stream produces.
QByteArray mutate(QByteArray text, QRandomGenerator& random) {
    static const char bytes[] = {'"', '\\', '{', '}',    '[',    ']',    ',',    ':',    '.',    'e',
                                 '-', '+',  '0', '1',    'u',    ' ',    '\n',   '\x01', '\x1f', '\x7f',
                                 'n', 't',  'f', '\x80', '\xc3', '\xff', '\xed', '\xf4', '\xc0'};
    for (int n = 1 + int(random.bounded(3)); n > 0 && !text.isEmpty(); --n) {
        const qsizetype at = random.bounded(int(text.size()));
        switch (random.bounded(4)) {
        case 0:
            text.remove(at, 1);
            break;
        case 1:
            text.insert(at, bytes[random.bounded(int(std::size(bytes)))]);
            break;
        case 2:
            text[at] = bytes[random.bounded(int(std::size(bytes)))];
            break;
        default:
            text.truncate(at);
            break;
        }
    }
    return text;
}

bool qtAccepts(const QByteArray& text, QJsonDocument* document) {
    QJsonParseError error;
    *document = QJsonDocument::fromJson(text, &error);
    return error.error == QJsonParseError::NoError && (document->isObject() || document->isArray());
}

QString describe(const QByteArray& text) {
    return QString::fromLatin1(text.toPercentEncoding(" {}[]\":,.-+_"));
}

void compareValue(const QJsonValue& expected, const JsonTree::Value& actual, const QByteArray& text);

void compareObject(const QJsonObject& expected, const JsonTree::Value& actual, const QByteArray& text) {
    QVERIFY2(actual.isObject(), qPrintable(describe(text)));
    QMap<QString, JsonTree::Value> members; // the last of repeated keys wins
    for (JsonTree::Value child = actual.firstChild(); !child.isUndefined(); child = child.nextSibling())
        members.insert(child.key(), child);
    QCOMPARE(members.keys(), expected.keys());
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        compareValue(it.value(), members.value(it.key()), text);
        if (QTest::currentTestFailed())
            return;
        const QByteArray latin1 = it.key().toLatin1();
        if (QString::fromLatin1(latin1) == it.key()) // operator[] finds Latin-1 keys the same way
            QCOMPARE(actual[QLatin1StringView(latin1)].text(), members.value(it.key()).text());
    }
}

void compareValue(const QJsonValue& expected, const JsonTree::Value& actual, const QByteArray& text) {
    const char* where = qPrintable(describe(text));
    switch (expected.type()) {
    case QJsonValue::Null:
        QVERIFY2(actual.isNull(), where);
        break;
    case QJsonValue::Bool:
        QVERIFY2(actual.isBool(), where);
        QCOMPARE(actual.toBool(), expected.toBool());
        break;
    case QJsonValue::Double:
        QVERIFY2(actual.isNumber(), where);
        QCOMPARE(actual.toDouble(), expected.toDouble());
        QCOMPARE(actual.toInteger(-42), expected.toInteger(-42));
        QCOMPARE(actual.toInt(-42), expected.toInt(-42));
        QCOMPARE(actual.toString(), expected.toString());
        break;
    case QJsonValue::String:
        QVERIFY2(actual.isString(), where);
        QCOMPARE(actual.toString(), expected.toString());
        QCOMPARE(actual.equals(QLatin1StringView("a")), expected.toString() == QLatin1String("a"));
        QCOMPARE(actual.toInteger(-42), qint64(-42));
        break;
    case QJsonValue::Array: {
        QVERIFY2(actual.isArray(), where);
        const QJsonArray array = expected.toArray();
        JsonTree::Value child = actual.firstChild();
        for (const QJsonValue& element : array) {
            compareValue(element, child, text);
            if (QTest::currentTestFailed())
                return;
            child = child.nextSibling();
        }
        QVERIFY2(child.isUndefined(), where);
        break;
    }
    case QJsonValue::Object:
        compareObject(expected.toObject(), actual, text);
        break;
    case QJsonValue::Undefined:
        QVERIFY2(actual.isUndefined(), where);
        break;
    }
}

void checkAgainstQt(const QByteArray& text) {
    QJsonDocument document;
    const bool expected = qtAccepts(text, &document);
    JsonTree tree;
    const bool actual = tree.parse(text);
    QVERIFY2(actual == expected, qPrintable(QStringLiteral("QJsonDocument %1, JsonTree %2: %3")
                                                .arg(expected ? "accepts" : "refuses",
                                                     actual ? "accepts" : "refuses", describe(text))));
    if (!expected)
        return;
    if (document.isObject())
        compareObject(document.object(), tree.root(), text);
    else
        compareValue(document.array(), tree.root(), text);
}

} // namespace

class TestJsonTree : public QObject {
    Q_OBJECT

private slots:
    void knownShapes_data();
    void knownShapes();
    void chunkAccessors();
    void generatedDocumentsMatchQJsonDocument();
    void damagedDocumentsMatchQJsonDocument();
    void recordedStreamChunksMatchQJsonDocument();
};

void TestJsonTree::knownShapes_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("spaces") << QByteArray(" \n ");
    QTest::newRow("scalar at top") << QByteArray("1");
    QTest::newRow("string at top") << QByteArray("\"a\"");
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("empty array") << QByteArray(" [ ] ");
    QTest::newRow("trailing comma") << QByteArray("{\"a\":1,}");
    QTest::newRow("garbage after") << QByteArray("{} x");
    QTest::newRow("two documents") << QByteArray("{}{}");
    QTest::newRow("bom") << QByteArray("\xef\xbb\xbf{}");
    QTest::newRow("leading zero") << QByteArray("[01]");
    QTest::newRow("bare minus") << QByteArray("[-]");
    QTest::newRow("dot without digits") << QByteArray("[1.]");
    QTest::newRow("exponent without digits") << QByteArray("[1e]");
    QTest::newRow("huge exponent") << QByteArray("[1e400]");
    QTest::newRow("tiny exponent") << QByteArray("[1e-400]");
    QTest::newRow("plus sign") << QByteArray("[+1]");
    QTest::newRow("no integer part") << QByteArray("[.5,-.5]");
    QTest::newRow("dot then exponent") << QByteArray("[1.e5]");
    QTest::newRow("dot alone") << QByteArray("[.]");
    QTest::newRow("fraction of zeros") << QByteArray("[5.000]");
    QTest::newRow("escaped non-ASCII byte") << QByteArray("[\"\\\xc3\xa9\"]");
    QTest::newRow("escaped ASCII letter") << QByteArray("[\"\\q\"]");
    QTest::newRow("raw control character") << QByteArray("[\"a\x01\"]");
    QTest::newRow("raw tab in string") << QByteArray("[\"a\tb\"]");
    QTest::newRow("bad escape") << QByteArray("[\"\\x\"]");
    QTest::newRow("short unicode escape") << QByteArray("[\"\\u12\"]");
    QTest::newRow("lone high surrogate") << QByteArray("[\"\\ud800\"]");
    QTest::newRow("overlong utf8") << QByteArray("[\"\xc0\xaf\"]");
    QTest::newRow("encoded surrogate") << QByteArray("[\"\xed\xa0\x80\"]");
    QTest::newRow("cut utf8") << QByteArray("[\"\xe4\xb8\"]");
    QTest::newRow("nul inside") << QByteArray("[\"a\0b\"]", 7);
    QTest::newRow("unquoted key") << QByteArray("{a:1}");
    QTest::newRow("single quotes") << QByteArray("{'a':1}");
    QTest::newRow("deep") << QByteArray(1023, '[') + QByteArray(1023, ']');
    QTest::newRow("too deep") << QByteArray(1025, '[') + QByteArray(1025, ']');
    QTest::newRow("repeated key") << QByteArray("{\"a\":1,\"a\":2}");
}

void TestJsonTree::knownShapes() {
    QFETCH(QByteArray, text);
    checkAgainstQt(text);
}

void TestJsonTree::chunkAccessors() {
    const QByteArray chunk =
        R"({"id":"c","choices":[{"index":0,"delta":{"content":"Hi \"you\"\n","role":"assistant"},)"
        R"("finish_reason":null}],"usage":{"prompt_tokens":9,"completion_tokens":2.0,"total":1.5}})";
    JsonTree tree;
    QVERIFY(tree.parse(chunk));
    const JsonTree::Value root = tree.root();
    QVERIFY(root.isObject());
    QVERIFY(root[QLatin1StringView("missing")].isUndefined());
    QVERIFY(!root.contains(QLatin1StringView("missing")));
    const JsonTree::Value choice = root[QLatin1StringView("choices")].firstChild();
    QCOMPARE(choice[QLatin1StringView("index")].toInt(-1), 0);
    QCOMPARE(choice[QLatin1StringView("delta")][QLatin1StringView("content")].toString(),
             QStringLiteral("Hi \"you\"\n"));
    QVERIFY(choice[QLatin1StringView("finish_reason")].isNull());
    QCOMPARE(choice[QLatin1StringView("finish_reason")].toString(), QString());
    QVERIFY(choice.nextSibling().isUndefined());
    const JsonTree::Value usage = root[QLatin1StringView("usage")];
    QCOMPARE(usage[QLatin1StringView("prompt_tokens")].toInteger(), 9);
    QCOMPARE(usage[QLatin1StringView("completion_tokens")].toInteger(), 2);
    QCOMPARE(usage[QLatin1StringView("total")].toInteger(-1), -1);
    QCOMPARE(usage.text(), QByteArrayView(R"({"prompt_tokens":9,"completion_tokens":2.0,"total":1.5})"));
    QVERIFY(root[QLatin1StringView("id")].equals(QLatin1StringView("c")));
    QVERIFY(!tree.parse("{\"a\":"));
    QVERIFY(tree.root().isUndefined());
}

void TestJsonTree::generatedDocumentsMatchQJsonDocument() {
    JsonGenerator generator(20261128);
    for (int i = 0; i < 20000; ++i) {
        checkAgainstQt(generator.document());
        if (QTest::currentTestFailed())
            return;
    }
}

void TestJsonTree::damagedDocumentsMatchQJsonDocument() {
    JsonGenerator generator(777);
    for (int i = 0; i < 50000; ++i) {
        checkAgainstQt(mutate(generator.document(), generator.random()));
        if (QTest::currentTestFailed())
            return;
    }
}

void TestJsonTree::recordedStreamChunksMatchQJsonDocument() {
    // Every `data:` payload and NDJSON line of the recorded provider streams, whole and damaged.
    QRandomGenerator random(42);
    int payloads = 0;
    QDirIterator files(QStringLiteral(PARALLAX_TEST_FIXTURES "/wire"), QDir::Files,
                       QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile file(files.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        for (QByteArray line : file.readAll().split('\n')) {
            if (line.startsWith("data:"))
                line = line.mid(5).trimmed();
            if (!line.startsWith('{') && !line.startsWith('['))
                continue;
            ++payloads;
            checkAgainstQt(line);
            for (int i = 0; i < 20 && !QTest::currentTestFailed(); ++i)
                checkAgainstQt(mutate(line, random));
            if (QTest::currentTestFailed())
                return;
        }
    }
    QVERIFY2(payloads > 100, qPrintable(QString::number(payloads)));
}

QTEST_GUILESS_MAIN(TestJsonTree)
#include "TestJsonTree.moc"
