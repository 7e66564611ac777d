#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

namespace {

struct Result {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// A data folder of its own (no settings.json unless a test writes one): never the user's.
QTemporaryDir& dataDir() {
    static QTemporaryDir dir;
    return dir;
}

void writeSettings(const QByteArray& json) {
    QFile file(dataDir().filePath(QStringLiteral("settings.json")));
    file.open(QIODevice::WriteOnly);
    file.write(json);
}

Result runCli(const QStringList& arguments, const QByteArray& input = {},
              const QString& command = QStringLiteral("sanitize")) {
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PARALLAX_DATA_DIR"), dataDir().path());
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(PARALLAX_CLI_PATH), QStringList{command} + arguments);
    if (!process.waitForStarted())
        return {};
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(60000);
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace

class TestSanitizeCommand : public QObject {
    Q_OBJECT

private slots:
    void plainModeFromStdinAndFile();
    void jsonCountsCodePoints();
    void jsonlReportsBadLinesAndContinues();
    void missingFileIsAUsageError();
    void badOptions();
    void settingsApplyAsForRunAndCompare();
    void aBrokenUserRuleStopsEverything();
    void cleanup() { QFile::remove(dataDir().filePath(QStringLiteral("settings.json"))); }
};

void TestSanitizeCommand::plainModeFromStdinAndFile() {
    const QByteArray input = "Mail bob@example.com\nkey AKIALALEMEL33243OLIB and bob@example.com\n";
    const Result piped = runCli({QStringLiteral("--region"), QStringLiteral("US")}, input);
    QCOMPARE(piped.exitCode, 0);
    QCOMPARE(piped.out, QByteArray("Mail [EMAIL_ADDRESS_1]\nkey [SECRET_1] and [EMAIL_ADDRESS_1]\n"));
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(input);
    file.flush();
    const Result fromFile = runCli({file.fileName()});
    QCOMPARE(fromFile.exitCode, 0);
    QCOMPARE(fromFile.out, piped.out);
}

void TestSanitizeCommand::jsonCountsCodePoints() {
    // "😀" is one code point but two UTF-16 units; "日本" two code points, six UTF-8 bytes.
    const QString text = QStringLiteral("😀日本 a@example.com");
    const Result r = runCli({QStringLiteral("--json")}, text.toUtf8());
    QCOMPARE(r.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(json.value(QStringLiteral("text")).toString(), QStringLiteral("😀日本 [EMAIL_ADDRESS_1]"));
    const QJsonArray spans = json.value(QStringLiteral("spans")).toArray();
    QCOMPARE(spans.size(), 1);
    const QJsonObject span = spans.at(0).toObject();
    QCOMPARE(span.value(QStringLiteral("start")).toInt(), 4);
    QCOMPARE(span.value(QStringLiteral("end")).toInt(), 17);
    QCOMPARE(span.value(QStringLiteral("type")).toString(), QStringLiteral("EMAIL_ADDRESS"));
    QCOMPARE(span.value(QStringLiteral("rule")).toString(), QStringLiteral("email-address"));
    QCOMPARE(span.value(QStringLiteral("placeholder")).toString(), QStringLiteral("[EMAIL_ADDRESS_1]"));
}

void TestSanitizeCommand::jsonlReportsBadLinesAndContinues() {
    const QByteArray input = "{\"id\": 1, \"text\": \"a@example.com\"}\n"
                             "{not json}\n"
                             "{\"id\": \"x\", \"text\": 5}\n"
                             "\n"
                             "{\"id\": \"b\", \"text\": \"😀 a@example.com\"}\n";
    const Result r = runCli({QStringLiteral("--jsonl")}, input);
    QCOMPARE(r.exitCode, 1); // documented: some lines were skipped, the rest was written
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonObject first = QJsonDocument::fromJson(lines.at(0)).object();
    QCOMPARE(first.value(QStringLiteral("id")).toInt(), 1);
    QCOMPARE(first.value(QStringLiteral("text")).toString(), QStringLiteral("[EMAIL_ADDRESS_1]"));
    const QJsonObject second = QJsonDocument::fromJson(lines.at(1)).object();
    QCOMPARE(second.value(QStringLiteral("id")).toString(), QStringLiteral("b"));
    QCOMPARE(second.value(QStringLiteral("spans"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("start"))
                 .toInt(),
             2);
    QVERIFY2(r.err.contains("line 2:"), r.err.constData());
    QVERIFY2(r.err.contains("line 3:"), r.err.constData());
    QCOMPARE(r.err.count('\n'), 2);
}

void TestSanitizeCommand::missingFileIsAUsageError() {
    const Result r = runCli({QStringLiteral("/nonexistent/prompt.txt")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY(r.err.startsWith("parallax-cli: cannot read /nonexistent/prompt.txt"));
    QCOMPARE(r.err.count('\n'), 1);
}

void TestSanitizeCommand::badOptions() {
    QCOMPARE(runCli({QStringLiteral("--json"), QStringLiteral("--jsonl")}).exitCode, 2);
    QCOMPARE(runCli({QStringLiteral("--frobnicate")}).exitCode, 2);
    QCOMPARE(runCli({QStringLiteral("--region"), QStringLiteral("Germany")}).exitCode, 2);
}

void TestSanitizeCommand::settingsApplyAsForRunAndCompare() {
    // settings.json's "sanitize" section is what run, compare, batch and the window use: modes, the
    // allowlist, phone regions and user rules change what `sanitize` shows in the same way.
    writeSettings(R"({"sanitize": {"modes": {"URL": "allow", "EMAIL_ADDRESS": "mask"},
                                   "allowlist": {"values": ["ops@example.com"]},
                                   "phone_regions": ["DE"],
                                   "user_rules": [{"name": "employee-id", "type": "EMPLOYEE_ID",
                                                   "pattern": "\\bEMP-\\d{6}\\b"}]}})");
    const QByteArray input = "see https://example.com/x, mail jane.doe@example.com or ops@example.com, "
                             "badge EMP-004417, call 030 12345678\n";
    const Result r = runCli({}, input);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out,
             QByteArray("see https://example.com/x, mail ****.com or ops@example.com, badge [EMPLOYEE_ID_1], "
                        "call [PHONE_NUMBER_1]\n"));
    // --region replaces the regions of the settings: a German number without a prefix is not read as
    // a US one.
    const Result us = runCli({QStringLiteral("--region"), QStringLiteral("US")}, input);
    QCOMPARE(us.exitCode, 0);
    QVERIFY2(us.out.contains("call 030 12345678"), us.out.constData());
}

void TestSanitizeCommand::aBrokenUserRuleStopsEverything() {
    writeSettings(
        R"({"sanitize": {"user_rules": [{"name": "ticket", "type": "TICKET", "pattern": "TKT-(\\d+"}]}})");
    const Result r = runCli({}, "TKT-42\n");
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("user rule 'ticket'") && r.err.contains("missing closing parenthesis") &&
                 r.err.contains("at offset 8") /* the end of "TKT-(\\d+" */,
             r.err.constData());
    QVERIFY(r.out.isEmpty());
    // run refuses before anything is sent (an unreachable server would fail with 1, not 2).
    const Result run =
        runCli({QStringLiteral("-p"), QStringLiteral("openai-compatible:m@http://127.0.0.1:9/v1"),
                QStringLiteral("hello TKT-42")},
               {}, QStringLiteral("run"));
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("user rule 'ticket'") && run.err.contains("nothing was sent"),
             run.err.constData());
    // A type name that is not one.
    writeSettings(R"({"sanitize": {"user_rules": [{"type": "ticket id", "pattern": "TKT-\\d+"}]}})");
    const Result type = runCli({}, "TKT-42\n");
    QCOMPARE(type.exitCode, 2);
    QVERIFY2(type.err.contains("user_rules[0]") && type.err.contains("'ticket id'"), type.err.constData());
}

QTEST_GUILESS_MAIN(TestSanitizeCommand)

#include "TestSanitizeCommand.moc"
