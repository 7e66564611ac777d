#include "store/DataDirectory.h"
#include "store/SavedProfiles.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace parallax;

namespace {

bool writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

} // namespace

class TestDataDirectory : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void environmentVariableIsHonoured();
    void relativeEnvironmentPathIsMadeAbsolute();
    void defaultLocationWithoutVariable();
    void ensureExistsCreatesTheFolder();
    void ensureExistsReportsFailure();

    void loadsValidProfiles();
    void missingFileIsEmptyList();
    void emptyProfileListIsEmptyList();
    void brokenJsonNamesFileAndOffset();
    void invalidEntries_data();
    void invalidEntries();
    void findsByName();

private:
    QByteArray m_savedDataDir;
    bool m_hadDataDir = false;
    std::unique_ptr<QTemporaryDir> m_temp;
};

void TestDataDirectory::initTestCase() {
    QStandardPaths::setTestModeEnabled(true); // never point at the real user folders
    m_hadDataDir = qEnvironmentVariableIsSet("PARALLAX_DATA_DIR");
    m_savedDataDir = qgetenv("PARALLAX_DATA_DIR");
}

void TestDataDirectory::init() {
    m_temp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_temp->isValid());
}

void TestDataDirectory::cleanup() {
    if (m_hadDataDir)
        qputenv("PARALLAX_DATA_DIR", m_savedDataDir);
    else
        qunsetenv("PARALLAX_DATA_DIR");
    m_temp.reset();
}

void TestDataDirectory::environmentVariableIsHonoured() {
    const QString dir = m_temp->filePath(QStringLiteral("data"));
    qputenv("PARALLAX_DATA_DIR", dir.toLocal8Bit());
    QCOMPARE(DataDirectory::path(), dir);
    QCOMPARE(DataDirectory::filePath(QStringLiteral("profiles.json")),
             dir + QStringLiteral("/profiles.json"));
}

void TestDataDirectory::relativeEnvironmentPathIsMadeAbsolute() {
    qputenv("PARALLAX_DATA_DIR", "relative/data");
    const QString path = DataDirectory::path();
    QVERIFY2(QDir::isAbsolutePath(path), qPrintable(path));
    QCOMPARE(path, QDir::current().absoluteFilePath(QStringLiteral("relative/data")));
}

void TestDataDirectory::defaultLocationWithoutVariable() {
    qunsetenv("PARALLAX_DATA_DIR");
    const QString expected = QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
                                 .absoluteFilePath("parallax");
    QCOMPARE(DataDirectory::path(), expected);

    qputenv("PARALLAX_DATA_DIR", ""); // empty counts as unset
    QCOMPARE(DataDirectory::path(), expected);
}

void TestDataDirectory::ensureExistsCreatesTheFolder() {
    const QString dir = m_temp->filePath(QStringLiteral("nested/deeper/data"));
    qputenv("PARALLAX_DATA_DIR", dir.toLocal8Bit());
    QVERIFY(!QDir(dir).exists());

    QString error;
    QVERIFY2(DataDirectory::ensureExists(&error), qPrintable(error));
    QVERIFY(QDir(dir).exists());
    QVERIFY(error.isEmpty());

    // Again, now that it exists.
    QVERIFY2(DataDirectory::ensureExists(&error), qPrintable(error));
}

void TestDataDirectory::ensureExistsReportsFailure() {
    // A folder below a regular file cannot be created, whoever runs the test.
    const QString file = m_temp->filePath(QStringLiteral("a-file"));
    QVERIFY(writeFile(file, "x"));
    const QString dir = file + QStringLiteral("/data");
    qputenv("PARALLAX_DATA_DIR", dir.toLocal8Bit());

    QString error;
    QVERIFY(!DataDirectory::ensureExists(&error));
    QVERIFY2(error.contains(dir), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("PARALLAX_DATA_DIR")), qPrintable(error));
}

void TestDataDirectory::loadsValidProfiles() {
    const QString path = m_temp->filePath(QStringLiteral("profiles.json"));
    const QByteArray content(
        R"({"profiles": [)"
        R"({"name": "fast", "kind": "openai", "model": "gpt-4o-mini"},)"
        R"({"name": "local", "kind": "openai-compatible", "model": "llama3", "base_url": "http://127.0.0.1:8080/v1"},)"
        R"({"name": "tiny", "kind": "ollama", "model": "llama3.2:1b"},)"
        R"({"name": "claude", "kind": "anthropic", "model": "claude-sonnet-4-5"})"
        R"(]})");
    QVERIFY(writeFile(path, content));

    QString error;
    const auto profiles = SavedProfiles::load(path, &error);
    QVERIFY2(profiles.has_value(), qPrintable(error));
    QCOMPARE(profiles->size(), 4);

    QCOMPARE(profiles->at(0).name, QStringLiteral("fast"));
    QCOMPARE(profiles->at(0).kind, ProviderKind::OpenAi);
    QCOMPARE(profiles->at(0).model, QStringLiteral("gpt-4o-mini"));
    QCOMPARE(profiles->at(0).baseUrl, QUrl(QStringLiteral("https://api.openai.com/v1")));

    QCOMPARE(profiles->at(1).name, QStringLiteral("local"));
    QCOMPARE(profiles->at(1).kind, ProviderKind::OpenAiCompatible);
    QCOMPARE(profiles->at(1).model, QStringLiteral("llama3"));
    QCOMPARE(profiles->at(1).baseUrl, QUrl(QStringLiteral("http://127.0.0.1:8080/v1")));

    QCOMPARE(profiles->at(2).kind, ProviderKind::Ollama);
    QCOMPARE(profiles->at(2).model, QStringLiteral("llama3.2:1b"));

    QCOMPARE(profiles->at(3).name, QStringLiteral("claude"));
    QCOMPARE(profiles->at(3).kind, ProviderKind::Anthropic);
    QCOMPARE(profiles->at(3).baseUrl, QUrl(QStringLiteral("https://api.anthropic.com")));
}

void TestDataDirectory::missingFileIsEmptyList() {
    QString error;
    const auto profiles = SavedProfiles::load(m_temp->filePath(QStringLiteral("profiles.json")), &error);
    QVERIFY2(profiles.has_value(), qPrintable(error));
    QVERIFY(profiles->isEmpty());
}

void TestDataDirectory::emptyProfileListIsEmptyList() {
    const QString path = m_temp->filePath(QStringLiteral("profiles.json"));
    QVERIFY(writeFile(path, R"({"profiles": []})"));
    QString error;
    const auto profiles = SavedProfiles::load(path, &error);
    QVERIFY2(profiles.has_value(), qPrintable(error));
    QVERIFY(profiles->isEmpty());
}

void TestDataDirectory::brokenJsonNamesFileAndOffset() {
    const QString path = m_temp->filePath(QStringLiteral("profiles.json"));
    const QByteArray broken(R"({"profiles": [{"name": "fast", "kind": "openai" "model": "gpt-4o"}]})");
    QVERIFY(writeFile(path, broken));
    QJsonParseError reference;
    QJsonDocument::fromJson(broken, &reference);
    QVERIFY(reference.error != QJsonParseError::NoError);

    QString error;
    QVERIFY(!SavedProfiles::load(path, &error).has_value());
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("offset %1").arg(reference.offset)), qPrintable(error));
}

void TestDataDirectory::invalidEntries_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("errorContains");

    QTest::newRow("entry without name")
        << QByteArray(R"({"profiles": [{"name": "ok", "kind": "openai", "model": "gpt-4o"},)"
                      R"( {"kind": "anthropic", "model": "claude-sonnet-4-5"}]})")
        << QStringList{"profile 2", "no name"};
    QTest::newRow("entry with empty name")
        << QByteArray(R"({"profiles": [{"name": "", "kind": "openai", "model": "gpt-4o"}]})")
        << QStringList{"profile 1", "no name"};
    QTest::newRow("unknown kind")
        << QByteArray(R"({"profiles": [{"name": "x", "kind": "mistral", "model": "large"}]})")
        << QStringList{"profile 1", "unknown provider kind"};
    QTest::newRow("no model") << QByteArray(R"({"profiles": [{"name": "x", "kind": "openai"}]})")
                              << QStringList{"profile 1", "no model"};
    QTest::newRow("base URL with credentials")
        << QByteArray(R"({"profiles": [{"name": "x", "kind": "openai-compatible", "model": "m",)"
                      R"( "base_url": "http://u:secret@host/v1"}]})")
        << QStringList{"profile 1", "credentials"};
}

void TestDataDirectory::invalidEntries() {
    QFETCH(QByteArray, content);
    QFETCH(QStringList, errorContains);

    const QString path = m_temp->filePath(QStringLiteral("profiles.json"));
    QVERIFY(writeFile(path, content));
    QString error;
    QVERIFY(!SavedProfiles::load(path, &error).has_value());
    QVERIFY2(error.contains(path), qPrintable(error));
    for (const QString& part : errorContains)
        QVERIFY2(error.contains(part), qPrintable(error));
}

void TestDataDirectory::findsByName() {
    const QString path = m_temp->filePath(QStringLiteral("profiles.json"));
    QVERIFY(writeFile(path, R"({"profiles": [{"name": "fast", "kind": "openai", "model": "gpt-4o-mini"},)"
                            R"( {"name": "smart", "kind": "anthropic", "model": "claude-opus-4-5"}]})"));
    QString error;
    const auto profiles = SavedProfiles::load(path, &error);
    QVERIFY2(profiles.has_value(), qPrintable(error));

    const auto smart = SavedProfiles::find(*profiles, QStringLiteral("smart"));
    QVERIFY(smart.has_value());
    QCOMPARE(smart->model, QStringLiteral("claude-opus-4-5"));
    QVERIFY(!SavedProfiles::find(*profiles, QStringLiteral("Smart")).has_value());
    QVERIFY(!SavedProfiles::find(*profiles, QStringLiteral("missing")).has_value());
}

QTEST_GUILESS_MAIN(TestDataDirectory)
#include "TestDataDirectory.moc"
