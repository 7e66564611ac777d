#include "FakeSecretStore.h"
#include "GuiTestSupport.h"

#include "app/KeyRing.h"
#include "app/ProfileLibrary.h"
#include "app/ProfileListModel.h"
#include "app/ProvidersDialog.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace parallax;

class TestProvidersDialog : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;

    QString profilesPath() const { return m_dir->path() + QStringLiteral("/profiles.json"); }

    static void fill(ProvidersDialog& dialog, const QString& kind, const QString& name, const QString& model,
                     const QString& key) {
        auto* combo = dialog.findChild<QComboBox*>(QStringLiteral("kindCombo"));
        combo->setCurrentIndex(combo->findData(kind));
        dialog.findChild<QLineEdit*>(QStringLiteral("nameEdit"))->setText(name);
        dialog.findChild<QLineEdit*>(QStringLiteral("modelEdit"))->setText(model);
        QTest::keyClicks(dialog.findChild<QLineEdit*>(QStringLiteral("keyEdit")), key);
    }

private slots:
    void initTestCase() { test::setUpApplication("TestProvidersDialog"); }
    void init() { m_dir = test::freshDataDir(); }

    void addsAProfileAndWritesTheKeyThroughTheSecretStore() {
        auto* fake = new test::FakeSecretStore;
        KeyRing keys{std::unique_ptr<SecretStore>(fake)};
        ProfileLibrary library(profilesPath());
        ProvidersDialog dialog(&library, &keys);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        auto* keyEdit = dialog.findChild<QLineEdit*>(QStringLiteral("keyEdit"));
        QCOMPARE(keyEdit->echoMode(), QLineEdit::Password); // masked
        fill(dialog, QStringLiteral("anthropic"), QStringLiteral("Claude"),
             QStringLiteral("claude-haiku-4-5"), QStringLiteral("sk-ant-secret-123"));
        dialog.findChild<QSpinBox*>(QStringLiteral("maxTokensSpin"))->setValue(512);
        QSignalSpy saved(&dialog, &ProvidersDialog::profileSaved);
        dialog.findChild<QPushButton*>(QStringLiteral("saveButton"))->click();
        QVERIFY2(saved.size() == 1 || saved.wait(5'000), qPrintable(dialog.statusText()));

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
        ProvidersDialog dialog(&library, &keys);
        fill(dialog, QStringLiteral("openai"), QStringLiteral("x"), QString(), QString());
        dialog.findChild<QPushButton*>(QStringLiteral("saveButton"))->click();
        QVERIFY(dialog.statusText().contains(QStringLiteral("model")));
        dialog.findChild<QLineEdit*>(QStringLiteral("modelEdit"))->setText(QStringLiteral("m"));
        dialog.findChild<QLineEdit*>(QStringLiteral("baseUrlEdit"))->setText(QStringLiteral("ftp://nope"));
        dialog.findChild<QPushButton*>(QStringLiteral("saveButton"))->click();
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
        ProvidersDialog dialog(&library, &keys);
        fill(dialog, QStringLiteral("openai"), QStringLiteral("GPT"), QStringLiteral("gpt-4o-mini"),
             QStringLiteral("sk-secret-456"));
        QSignalSpy saved(&dialog, &ProvidersDialog::profileSaved);
        dialog.findChild<QPushButton*>(QStringLiteral("saveButton"))->click();
        QVERIFY2(saved.size() == 1 || saved.wait(5'000), qPrintable(dialog.statusText()));
        QCOMPARE(sessionOnly.size(), 1);
        QVERIFY(keys.isSessionOnly());
        QVERIFY(dialog.statusText().contains(QStringLiteral("session only")));
        QTRY_VERIFY(dialog.findChild<QLabel*>(QStringLiteral("keyStatus"))
                        ->text()
                        .contains(QStringLiteral("session only")));

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
