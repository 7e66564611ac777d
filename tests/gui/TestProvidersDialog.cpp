#include "FakeSecretStore.h"
#include "GuiTestSupport.h"

#include "app/FallbackChainModel.h"
#include "app/KeyRing.h"
#include "app/ProfileLibrary.h"
#include "app/ProfileListModel.h"
#include "app/ProvidersDialog.h"
#include "engine/Engine.h"
#include "mock/MockServer.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTest>
#include <QToolButton>

using namespace parallax;

Q_DECLARE_METATYPE(ProviderKind)

namespace {
constexpr int kWaitMs = 30'000; // generous: CI machines are slow and busy
}

class TestProvidersDialog : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QNetworkAccessManager m_network;

    QString profilesPath() const { return m_dir->path() + QStringLiteral("/profiles.json"); }
    QString settingsPath() const { return m_dir->path() + QStringLiteral("/settings.json"); }

    std::unique_ptr<Engine> openEngine() {
        QString error;
        auto engine = Engine::open(&m_network, m_dir->path(), &error);
        if (!engine)
            qWarning() << error;
        return engine;
    }

    QJsonObject settingsFile() const {
        QFile file(settingsPath());
        return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object()
                                              : QJsonObject();
    }

    void writeSettingsFile(const QJsonObject& root) const {
        QFile file(settingsPath());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(root).toJson());
    }

    /// profiles.json with three profiles at one endpoint (nothing is sent to it in these tests).
    void writeThreeProfiles(const QString& baseUrl = QStringLiteral("http://127.0.0.1:8080")) const {
        test::writeMockProfiles(m_dir->path(), baseUrl, 3);
    }

    template <typename T>
    static T* child(ProvidersDialog& dialog, const char* name) {
        T* widget = dialog.findChild<T*>(QLatin1String(name));
        if (!widget)
            qFatal("no widget %s", name);
        return widget;
    }

    static void fill(ProvidersDialog& dialog, const QString& kind, const QString& name, const QString& model,
                     const QString& key) {
        auto* combo = child<QComboBox>(dialog, "kindCombo");
        combo->setCurrentIndex(combo->findData(kind));
        child<QLineEdit>(dialog, "nameEdit")->setText(name);
        child<QComboBox>(dialog, "modelCombo")->setEditText(model);
        QTest::keyClicks(child<QLineEdit>(dialog, "keyEdit"), key);
    }

    static void setBaseUrl(ProvidersDialog& dialog, const QString& url) {
        auto* edit = child<QLineEdit>(dialog, "baseUrlEdit");
        edit->setText(url);
        emit edit->editingFinished();
    }

    static bool save(ProvidersDialog& dialog) {
        QSignalSpy saved(&dialog, &ProvidersDialog::profileSaved);
        child<QPushButton>(dialog, "saveButton")->click();
        return saved.size() == 1 || saved.wait(5'000);
    }

    static FallbackChainModel* fallbackModel(ProvidersDialog& dialog) {
        return qobject_cast<FallbackChainModel*>(child<QListView>(dialog, "fallbackList")->model());
    }

    static QStringList rowsOf(const QAbstractItemModel* model, int role = Qt::DisplayRole) {
        QStringList rows;
        for (int row = 0; row < model->rowCount(); ++row)
            rows.append(model->index(row, 0).data(role).toString());
        return rows;
    }

    static void check(FallbackChainModel* model, const QString& entry, bool checked) {
        const int row = int(rowsOf(model, FallbackChainModel::EntryRole).indexOf(entry));
        QVERIFY2(row >= 0, qPrintable(entry));
        QVERIFY(
            model->setData(model->index(row, 0), checked ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole));
    }

    static QStringList comboItems(QComboBox* combo) {
        QStringList items;
        for (int i = 0; i < combo->count(); ++i)
            items.append(combo->itemText(i));
        return items;
    }

private slots:
    void initTestCase() { test::setUpApplication("TestProvidersDialog"); }
    void init() { m_dir = test::freshDataDir(); }

    void addsAProfileAndWritesTheKeyThroughTheSecretStore() {
        auto* fake = new test::FakeSecretStore;
        KeyRing keys{std::unique_ptr<SecretStore>(fake)};
        ProfileLibrary library(profilesPath());
        auto engine = openEngine();
        QVERIFY(engine);
        ProvidersDialog dialog(&library, &keys, engine.get());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        auto* keyEdit = child<QLineEdit>(dialog, "keyEdit");
        QCOMPARE(keyEdit->echoMode(), QLineEdit::Password); // masked
        fill(dialog, QStringLiteral("anthropic"), QStringLiteral("Claude"),
             QStringLiteral("claude-haiku-4-5"), QStringLiteral("sk-ant-secret-123"));
        child<QSpinBox>(dialog, "maxTokensSpin")->setValue(512);
        QVERIFY2(save(dialog), qPrintable(dialog.statusText()));

        QCOMPARE(fake->secrets.value(KeyRing::entryName(QStringLiteral("Claude"))),
                 QStringLiteral("sk-ant-secret-123"));
        QVERIFY(keyEdit->text().isEmpty()); // not kept in the widget
        QVERIFY(dialog.statusText().contains(QStringLiteral("keychain")));
        QCOMPARE(library.size(), 1);
        QCOMPARE(library.profiles().first().maxTokens, std::optional<int>(512));
        QCOMPARE(library.profiles().first().profile.baseUrl.toString(),
                 QStringLiteral("https://api.anthropic.com"));

        // The file holds the profile, never the key; the CLI's loader reads it.
        QFile file(profilesPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray json = file.readAll();
        QVERIFY(json.contains("claude-haiku-4-5"));
        QVERIFY(!json.contains("sk-ant-secret-123"));
        ProfileLibrary reread(profilesPath());
        QString error;
        QVERIFY2(reread.load(&error), qPrintable(error));
        QCOMPARE(reread.profiles().first().maxTokens, std::optional<int>(512));
        QCOMPARE(reread.profiles().first().profile.kind, ProviderKind::Anthropic);
        // Nor does settings.json, which a profile with nothing set leaves untouched.
        QFile settings(settingsPath());
        QVERIFY(!settings.exists() ||
                (settings.open(QIODevice::ReadOnly) && !settings.readAll().contains("sk-ant")));

        // The key is readable for sending.
        std::optional<QString> read;
        bool answered = false;
        keys.key(QStringLiteral("Claude"), ProviderKind::Anthropic, this, [&](std::optional<QString> key) {
            read = key;
            answered = true;
        });
        QTRY_VERIFY(answered);
        QCOMPARE(read, std::optional<QString>(QStringLiteral("sk-ant-secret-123")));
    }

    void rejectsBadInputWithASentence() {
        auto* fake = new test::FakeSecretStore;
        KeyRing keys{std::unique_ptr<SecretStore>(fake)};
        ProfileLibrary library(profilesPath());
        auto engine = openEngine();
        ProvidersDialog dialog(&library, &keys, engine.get());
        fill(dialog, QStringLiteral("openai"), QStringLiteral("x"), QString(), QString());
        child<QPushButton>(dialog, "saveButton")->click();
        QVERIFY(dialog.statusText().contains(QStringLiteral("model")));
        child<QComboBox>(dialog, "modelCombo")->setEditText(QStringLiteral("m"));
        child<QLineEdit>(dialog, "baseUrlEdit")->setText(QStringLiteral("ftp://nope"));
        child<QPushButton>(dialog, "saveButton")->click();
        QVERIFY(dialog.statusText().contains(QStringLiteral("http")));
        QCOMPARE(library.size(), 0);
        QCOMPARE(fake->writes, 0);
    }

    void withoutAKeychainTheKeyStaysInMemoryWithAWarning() {
        auto* fake = new test::FakeSecretStore;
        fake->failure = SecretResult::Status::NoBackend;
        KeyRing keys{std::unique_ptr<SecretStore>(fake)};
        QSignalSpy sessionOnly(&keys, &KeyRing::sessionOnlyChanged);
        ProfileLibrary library(profilesPath());
        auto engine = openEngine();
        ProvidersDialog dialog(&library, &keys, engine.get());
        fill(dialog, QStringLiteral("openai"), QStringLiteral("GPT"), QStringLiteral("gpt-4o-mini"),
             QStringLiteral("sk-secret-456"));
        QVERIFY2(save(dialog), qPrintable(dialog.statusText()));
        QCOMPARE(sessionOnly.size(), 1);
        QVERIFY(keys.isSessionOnly());
        QVERIFY(dialog.statusText().contains(QStringLiteral("session only")));
        QTRY_VERIFY(child<QLabel>(dialog, "keyStatus")->text().contains(QStringLiteral("session only")));

        std::optional<QString> read;
        bool answered = false;
        keys.key(QStringLiteral("GPT"), ProviderKind::OpenAi, this, [&](std::optional<QString> key) {
            read = key;
            answered = true;
        });
        QTRY_VERIFY(answered);
        QCOMPARE(read, std::optional<QString>(QStringLiteral("sk-secret-456")));
        // Nothing of the key on disk.
        QFile file(profilesPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("sk-secret-456"));
    }

    void listsTheModelsOfEachProtocolFromTheProvider_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("expected");
        const QStringList openAi{"gpt-4.1", "gpt-4o-mini", "gpt-mock", "mock-large", "mock-small"};
        QTest::newRow("openai") << "openai"
                                << "/v1" << openAi;
        QTest::newRow("openai-compatible") << "openai-compatible"
                                           << "/v1" << openAi;
        QTest::newRow("anthropic") << "anthropic"
                                   << ""
                                   << QStringList{"claude-haiku-4-5", "claude-mock",
                                                  "claude-opus-4-1-20250805", "claude-sonnet-4-5-20250929"};
        QTest::newRow("gemini") << "gemini"
                                << ""
                                << QStringList{"gemini-2.0-flash", "gemini-2.5-flash", "gemini-2.5-pro",
                                               "gemini-mock"};
        QTest::newRow("ollama") << "ollama"
                                << "" << QStringList{"llama3.2:latest"};
    }

    void listsTheModelsOfEachProtocolFromTheProvider() {
        QFETCH(QString, kind);
        QFETCH(QString, path);
        QFETCH(QStringList, expected);
        mock::MockConfig config;
        config.requiredApiKey = QStringLiteral("the-right-key");
        mock::MockServer server(config);
        QVERIFY(server.listen());
        auto* fake = new test::FakeSecretStore;
        KeyRing keys{std::unique_ptr<SecretStore>(fake)};
        ProfileLibrary library(profilesPath());
        auto engine = openEngine();
        ProvidersDialog dialog(&library, &keys, engine.get());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        // Not saved: the key as typed is what Test connection uses.
        fill(dialog, kind, QStringLiteral("new one"), QStringLiteral("typed-by-hand"),
             QStringLiteral("the-right-key"));
        setBaseUrl(dialog, server.baseUrl() + path);
        auto* test = child<QPushButton>(dialog, "testButton");
        test->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.connectionText().startsWith(QStringLiteral("Connected")), kWaitMs);
        QCOMPARE(dialog.connectionText(), expected.size() == 1
                                              ? QStringLiteral("Connected: 1 model")
                                              : QStringLiteral("Connected: %1 models").arg(expected.size()));
        QVERIFY(test->isEnabled());
        auto* models = child<QComboBox>(dialog, "modelCombo");
        QCOMPARE(comboItems(models), expected);
        // What was typed stays; the list only offers the provider's models, and one of them can be picked.
        QCOMPARE(models->currentText(), QStringLiteral("typed-by-hand"));
        models->setCurrentIndex(int(expected.size()) - 1);
        QCOMPARE(models->currentText(), expected.last());
        QVERIFY2(save(dialog), qPrintable(dialog.statusText()));
        QCOMPARE(library.find(QStringLiteral("new one"))->profile.model, expected.last());
        // Only the list was asked for; no chat request reached the provider.
        QCOMPARE(server.requestCount(), 0);
    }

    void testConnectionSaysWhyItFailedWithoutTheKey() {
        mock::MockConfig config;
        config.requiredApiKey = QStringLiteral("the-right-key");
        mock::MockServer server(config);
        QVERIFY(server.listen());
        auto* fake = new test::FakeSecretStore;
        KeyRing keys{std::unique_ptr<SecretStore>(fake)};
        ProfileLibrary library(profilesPath());
        auto engine = openEngine();
        ProvidersDialog dialog(&library, &keys, engine.get());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        fill(dialog, QStringLiteral("anthropic"), QStringLiteral("Claude at the mock"),
             QStringLiteral("claude-mock"), QStringLiteral("sk-ant-wrong-key-77"));
        setBaseUrl(dialog, server.baseUrl());
        auto* test = child<QPushButton>(dialog, "testButton");
        test->click();
        QVERIFY(!test->isEnabled()); // while it runs, off the GUI thread's way
        QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled(), kWaitMs);
        const QString said = dialog.connectionText();
        QVERIFY2(said.startsWith(QStringLiteral("401: check the API key of profile Claude at the mock")),
                 qPrintable(said));
        QVERIFY2(said.contains(QStringLiteral("invalid x-api-key")),
                 qPrintable(said)); // the provider's words
        QVERIFY(!said.contains(QStringLiteral("sk-ant-wrong-key-77")));
        // Testing saved nothing.
        QCOMPARE(library.size(), 0);
        QCOMPARE(fake->writes, 0);

        // A network failure reads as a sentence too.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        setBaseUrl(dialog, QStringLiteral("http://127.0.0.1:%1").arg(port));
        test->click();
        QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled(), kWaitMs);
        QVERIFY2(dialog.connectionText().startsWith(
                     QStringLiteral("network: could not reach the server of profile "
                                    "Claude at the mock")),
                 qPrintable(dialog.connectionText()));

        // A saved profile with an empty key field is tested with its saved key.
        setBaseUrl(dialog, server.baseUrl());
        child<QLineEdit>(dialog, "keyEdit")->clear();
        QTest::keyClicks(child<QLineEdit>(dialog, "keyEdit"), QStringLiteral("the-right-key"));
        QVERIFY2(save(dialog), qPrintable(dialog.statusText()));
        QVERIFY(child<QLineEdit>(dialog, "keyEdit")->text().isEmpty());
        test->click();
        QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled(), kWaitMs);
        QCOMPARE(dialog.connectionText(), QStringLiteral("Connected: 4 models"));
    }

    void limitsFallbackAndSanitizingAreWrittenToSettingsAndReadBack() {
        writeThreeProfiles();
        // Hand-written settings the dialog has no field for must survive it.
        writeSettingsFile(QJsonObject{{"budget", QJsonObject{{"daily_usd", 5}}},
                                      {"custom", QJsonObject{{"kept", true}}},
                                      {"sanitize", QJsonObject{{"modes", QJsonObject{{"URL", "allow"}}}}}});
        auto* fake = new test::FakeSecretStore;
        KeyRing keys{std::unique_ptr<SecretStore>(fake)};
        ProfileLibrary library(profilesPath());
        QString error;
        QVERIFY2(library.load(&error), qPrintable(error));
        auto engine = openEngine();
        QVERIFY(engine);
        ProvidersDialog dialog(&library, &keys, engine.get());
        QSignalSpy settingsSaved(&dialog, &ProvidersDialog::settingsSaved);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.selectProfile(QStringLiteral("gpt"));
        QVERIFY(child<QLabel>(dialog, "rateLimitNote")->text().contains(QStringLiteral("127.0.0.1:8080")));

        // Written meanwhile by someone else (parallax-cli budget set): kept, as the file is read again.
        QJsonObject meanwhile = settingsFile();
        meanwhile.insert("budget", QJsonObject{{"daily_usd", 7}});
        writeSettingsFile(meanwhile);

        child<QLineEdit>(dialog, "requestsPerMinuteEdit")->setText(QStringLiteral("1"));
        child<QLineEdit>(dialog, "tokensPerMinuteEdit")->setText(QStringLiteral("50000"));
        FallbackChainModel* chain = fallbackModel(dialog);
        QCOMPARE(rowsOf(chain), (QStringList{"claude", "gemini"})); // the other profiles, none checked
        check(chain, QStringLiteral("claude"), true);
        check(chain, QStringLiteral("gemini"), true);
        auto* list = child<QListView>(dialog, "fallbackList");
        list->setCurrentIndex(chain->index(1, 0));
        child<QToolButton>(dialog, "fallbackUpButton")->click(); // gemini is tried first
        QCOMPARE(list->currentIndex().row(), 0);
        auto* sanitize = child<QComboBox>(dialog, "sanitizeCombo");
        QCOMPARE(sanitize->currentData().toInt(), int(SanitizePolicy::Automatic));
        QCOMPARE(sanitize->currentText(), QStringLiteral("Automatic (sanitized)"));
        sanitize->setCurrentIndex(sanitize->findData(int(SanitizePolicy::AlwaysSanitize)));
        QVERIFY2(save(dialog), qPrintable(dialog.statusText()));
        QCOMPARE(settingsSaved.size(), 1);

        QJsonObject file = settingsFile();
        // Under the key the engine's limiter looks up for this endpoint.
        QCOMPARE(file.value("rate_limits").toObject(),
                 (QJsonObject{{"127.0.0.1:8080",
                               QJsonObject{{"requests_per_minute", 1}, {"tokens_per_minute", 50000}}}}));
        QCOMPARE(file.value("fallback").toObject(), (QJsonObject{{"gpt", QJsonArray{"gemini", "claude"}}}));
        QCOMPARE(file.value("sanitize").toObject().value("always_sanitize").toArray(), QJsonArray{"gpt"});
        QCOMPARE(file.value("sanitize").toObject().value("modes").toObject().value("URL").toString(),
                 QStringLiteral("allow"));
        QCOMPARE(file.value("custom").toObject().value("kept").toBool(), true);
        QCOMPARE(file.value("budget").toObject().value("daily_usd").toInt(), 7);
        QVERIFY(!QFile::exists(settingsPath() + QStringLiteral(".tmp"))); // written atomically, nothing left

        // The engine applies the new limit at once: one request a minute, the second one waits.
        const QUrl endpoint(QStringLiteral("http://127.0.0.1:8080/v1"));
        const QString bucket = RateLimiter::bucketFor(endpoint, QStringLiteral("k"));
        QCOMPARE(engine->rateLimiter().tryAcquire(bucket, endpoint, 1, 0), 0);
        QVERIFY(engine->rateLimiter().tryAcquire(bucket, endpoint, 1, 0) > 0);
        QCOMPARE(engine->savedFallbackChain(QStringLiteral("gpt")), (QStringList{"gemini", "claude"}));

        // Another profile at the same endpoint shares its limits; its own chain and policy are its own.
        dialog.selectProfile(QStringLiteral("claude"));
        QCOMPARE(child<QLineEdit>(dialog, "requestsPerMinuteEdit")->text(), QStringLiteral("1"));
        QCOMPARE(fallbackModel(dialog)->chain(), QStringList());
        sanitize->setCurrentIndex(sanitize->findData(int(SanitizePolicy::SendRaw)));
        QVERIFY2(save(dialog), qPrintable(dialog.statusText()));
        QCOMPARE(settingsFile().value("sanitize").toObject().value("send_raw").toArray(),
                 QJsonArray{"claude"});

        // Read back when the profile is shown, and by a dialog on a fresh engine.
        dialog.selectProfile(QStringLiteral("gpt"));
        QCOMPARE(child<QLineEdit>(dialog, "tokensPerMinuteEdit")->text(), QStringLiteral("50000"));
        QCOMPARE(fallbackModel(dialog)->chain(), (QStringList{"gemini", "claude"}));
        QCOMPARE(sanitize->currentData().toInt(), int(SanitizePolicy::AlwaysSanitize));
        auto reopened = openEngine();
        ProvidersDialog again(&library, &keys, reopened.get());
        again.selectProfile(QStringLiteral("gpt"));
        QCOMPARE(child<QLineEdit>(again, "requestsPerMinuteEdit")->text(), QStringLiteral("1"));
        QCOMPARE(fallbackModel(again)->chain(), (QStringList{"gemini", "claude"}));
        QCOMPARE(rowsOf(fallbackModel(again)).first(), QStringLiteral("gemini"));
        QCOMPARE(child<QComboBox>(again, "sanitizeCombo")->currentData().toInt(),
                 int(SanitizePolicy::AlwaysSanitize));

        // Back to automatic and no limits: the entries go, nothing else does.
        sanitize->setCurrentIndex(sanitize->findData(int(SanitizePolicy::Automatic)));
        child<QLineEdit>(dialog, "requestsPerMinuteEdit")->clear();
        child<QLineEdit>(dialog, "tokensPerMinuteEdit")->setText(QStringLiteral("0"));
        QVERIFY2(save(dialog), qPrintable(dialog.statusText()));
        file = settingsFile();
        QVERIFY(!file.value("sanitize").toObject().contains("always_sanitize"));
        QCOMPARE(file.value("sanitize").toObject().value("send_raw").toArray(), QJsonArray{"claude"});
        QVERIFY(file.value("rate_limits").toObject().isEmpty());
        QCOMPARE(engine->rateLimiter().tryAcquire(bucket, endpoint, 1, 0), 0); // no limit any more
    }

    void aLocalOllamaIsRawWhenAutomatic() {
        auto* fake = new test::FakeSecretStore;
        KeyRing keys{std::unique_ptr<SecretStore>(fake)};
        ProfileLibrary library(profilesPath());
        auto engine = openEngine();
        ProvidersDialog dialog(&library, &keys, engine.get());
        fill(dialog, QStringLiteral("ollama"), QStringLiteral("local"), QStringLiteral("llama3.2"),
             QString());
        auto* sanitize = child<QComboBox>(dialog, "sanitizeCombo");
        QCOMPARE(sanitize->currentText(), QStringLiteral("Automatic (sent as typed: a local Ollama)"));
        setBaseUrl(dialog, QStringLiteral("http://gpu-box.example:11434"));
        QCOMPARE(sanitize->currentText(), QStringLiteral("Automatic (sanitized)"));
        QCOMPARE(
            child<QLabel>(dialog, "rateLimitNote")->text().contains(QStringLiteral("gpu-box.example:11434")),
            true);
    }

    void badInputGetsASentenceAndLosesNothing() {
        writeThreeProfiles();
        // A chain written by hand that names the profile itself, and a KIND:MODEL entry.
        writeSettingsFile(
            QJsonObject{{"fallback", QJsonObject{{"gpt", QJsonArray{"gpt", "ollama:llama3.2"}}}}});
        const QByteArray settingsBefore = [this] {
            QFile file(settingsPath());
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        }();
        auto* fake = new test::FakeSecretStore;
        KeyRing keys{std::unique_ptr<SecretStore>(fake)};
        ProfileLibrary library(profilesPath());
        QString error;
        QVERIFY(library.load(&error));
        auto engine = openEngine();
        ProvidersDialog dialog(&library, &keys, engine.get());
        dialog.selectProfile(QStringLiteral("gpt"));
        FallbackChainModel* chain = fallbackModel(dialog);
        QCOMPARE(chain->chain(), (QStringList{"gpt", "ollama:llama3.2"}));
        QVERIFY(rowsOf(chain).first().contains(QStringLiteral("itself")));
        QVERIFY(rowsOf(chain).at(1).contains(QStringLiteral("model without a profile")));

        // A negative limit: said, and nothing written; the form keeps what was typed.
        child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("gpt renamed"));
        child<QLineEdit>(dialog, "requestsPerMinuteEdit")->setText(QStringLiteral("-5"));
        child<QPushButton>(dialog, "saveButton")->click();
        QVERIFY2(dialog.statusText().startsWith(
                     QStringLiteral("Requests per minute must be a number of 0 or more")),
                 qPrintable(dialog.statusText()));
        QVERIFY(dialog.statusText().contains(QStringLiteral("Nothing was saved")));
        QCOMPARE(child<QLineEdit>(dialog, "requestsPerMinuteEdit")->text(), QStringLiteral("-5"));
        QCOMPARE(child<QLineEdit>(dialog, "nameEdit")->text(), QStringLiteral("gpt renamed"));
        child<QLineEdit>(dialog, "tokensPerMinuteEdit")->setText(QStringLiteral("lots"));
        child<QLineEdit>(dialog, "requestsPerMinuteEdit")->setText(QStringLiteral("10"));
        child<QPushButton>(dialog, "saveButton")->click();
        QVERIFY2(dialog.statusText().contains(QStringLiteral("Tokens per minute must be a number")),
                 qPrintable(dialog.statusText()));

        // A chain that loops to the profile itself: said, and nothing written.
        child<QLineEdit>(dialog, "tokensPerMinuteEdit")->clear();
        child<QPushButton>(dialog, "saveButton")->click();
        QVERIFY2(dialog.statusText().contains(QStringLiteral("“gpt” cannot fall back to itself")),
                 qPrintable(dialog.statusText()));
        QVERIFY(library.find(QStringLiteral("gpt")));
        QVERIFY(!library.find(QStringLiteral("gpt renamed")));
        QFile file(settingsPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), settingsBefore);
        file.close();
        QCOMPARE(child<QLineEdit>(dialog, "requestsPerMinuteEdit")->text(), QStringLiteral("10"));

        // Unchecked, it saves; the entry without a profile is kept as written, and the chain follows the
        // rename.
        check(chain, QStringLiteral("gpt"), false);
        QVERIFY2(save(dialog), qPrintable(dialog.statusText()));
        QCOMPARE(settingsFile().value("fallback").toObject(),
                 (QJsonObject{{"gpt renamed", QJsonArray{"ollama:llama3.2"}}}));
    }

    void renamingAndRemovingAProfileKeepsTheSettingsConsistent() {
        writeThreeProfiles();
        writeSettingsFile(QJsonObject{
            {"fallback", QJsonObject{{"gpt", QJsonArray{"claude"}}, {"claude", QJsonArray{"gpt", "gemini"}}}},
            {"sanitize",
             QJsonObject{{"send_raw", QJsonArray{"gpt"}}, {"always_sanitize", QJsonArray{"gemini"}}}}});
        auto* fake = new test::FakeSecretStore;
        KeyRing keys{std::unique_ptr<SecretStore>(fake)};
        ProfileLibrary library(profilesPath());
        QString error;
        QVERIFY(library.load(&error));
        auto engine = openEngine();
        ProvidersDialog dialog(&library, &keys, engine.get());
        dialog.selectProfile(QStringLiteral("gpt"));
        child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("gpt2"));
        QVERIFY2(save(dialog), qPrintable(dialog.statusText()));
        QJsonObject file = settingsFile();
        QCOMPARE(file.value("fallback").toObject(),
                 (QJsonObject{{"gpt2", QJsonArray{"claude"}}, {"claude", QJsonArray{"gpt2", "gemini"}}}));
        QCOMPARE(file.value("sanitize").toObject().value("send_raw").toArray(), QJsonArray{"gpt2"});

        dialog.selectProfile(QStringLiteral("gemini"));
        child<QPushButton>(dialog, "removeButton")->click();
        file = settingsFile();
        QCOMPARE(file.value("fallback").toObject(),
                 (QJsonObject{{"gpt2", QJsonArray{"claude"}}, {"claude", QJsonArray{"gpt2"}}}));
        QVERIFY(!file.value("sanitize").toObject().contains("always_sanitize"));
        QCOMPARE(engine->savedFallbackChain(QStringLiteral("claude")), QStringList{"gpt2"});
    }

    void theFallbackModelIsConsistent() {
        FallbackChainModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChoices({"a", "b", "c"}, {"c", "openai:gpt-4o", "a"}, QStringLiteral("self"));
        QCOMPARE(rowsOf(&model, FallbackChainModel::EntryRole),
                 (QStringList{"c", "openai:gpt-4o", "a", "b"}));
        QCOMPARE(model.chain(), (QStringList{"c", "openai:gpt-4o", "a"}));
        QVERIFY(model.flags(model.index(0, 0)).testFlag(Qt::ItemIsUserCheckable));
        check(&model, QStringLiteral("b"), true);
        check(&model, QStringLiteral("c"), false);
        QCOMPARE(model.chain(), (QStringList{"openai:gpt-4o", "a", "b"}));
        QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
        QVERIFY(model.moveDown(0));
        QVERIFY(model.moveUp(3));
        QCOMPARE(moved.size(), 2);
        QVERIFY(!model.moveUp(0));
        QVERIFY(!model.moveDown(3));
        QCOMPARE(rowsOf(&model, FallbackChainModel::EntryRole),
                 (QStringList{"openai:gpt-4o", "c", "b", "a"}));
        QCOMPARE(model.chain(), (QStringList{"openai:gpt-4o", "b", "a"}));
        model.setChoices({"x"}, {});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.chain(), QStringList());
    }

    void theMainWindowWarnsWhenKeysAreSessionOnly() {
        auto* fake = new test::FakeSecretStore;
        fake->failure = SecretResult::Status::NoBackend;
        MainWindow window{std::unique_ptr<SecretStore>(fake)};
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* warning = window.findChild<QLabel*>(QStringLiteral("sessionKeysWarning"));
        QVERIFY(!warning->isVisible());
        bool done = false;
        window.keyRing()->setKey(QStringLiteral("p"), QStringLiteral("k"), this,
                                 [&](const SecretResult&) { done = true; });
        QTRY_VERIFY(done);
        QVERIFY(warning->isVisible());
    }

    void theProfileModelIsConsistent() {
        ProfileLibrary library(profilesPath());
        ProfileListModel model(&library);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        AppProfile a;
        a.profile = {QStringLiteral("a"), ProviderKind::OpenAi, QStringLiteral("m"), QUrl()};
        library.upsert(a);
        AppProfile b = a;
        b.profile.name = QStringLiteral("b");
        b.demo = true;
        library.upsert(b);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1).data(ProfileListModel::NameRole).toString(), QStringLiteral("b"));
        QVERIFY(model.index(1).data().toString().contains(QStringLiteral("demo")));
        library.remove(QStringLiteral("a"));
        QCOMPARE(model.rowCount(), 1);
    }

    void theWindowOpensTheDialogFromTheMenu() {
        auto window = test::makeWindow();
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        window->findChild<QAction*>(QStringLiteral("manageProvidersAction"))->trigger();
        QTRY_VERIFY(window->findChild<ProvidersDialog*>() &&
                    window->findChild<ProvidersDialog*>()->isVisible());
        window->findChild<ProvidersDialog*>()->reject();
    }
};

QTEST_MAIN(TestProvidersDialog)
#include "TestProvidersDialog.moc"
