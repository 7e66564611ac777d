// The one test that talks to a real keychain: run by keychain_roundtrip.sh inside dbus-run-session with
// an unlocked, throwaway gnome-keyring (never the user's).
#include "mock/MockServer.h"
#include "secrets/KeychainSecretStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace parallax;

class TestKeychainRoundtrip : public QObject {
    Q_OBJECT

private:
    /// Runs one store operation and waits for its answer on the event loop.
    template <typename Operation>
    static SecretResult await(Operation operation) {
        std::optional<SecretResult> result;
        operation([&result](const SecretResult& answer) { result = answer; });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20'000))
            return {SecretResult::Status::Error, {}, QStringLiteral("no answer within 20 s")};
        return *result;
    }

private slots:
    void writesReadsAndRemovesAKey() {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
                 "run through keychain_roundtrip.sh, which provides a throwaway session bus and keyring");
        KeychainSecretStore store(QStringLiteral("parallax-test"));
        const QString name = QStringLiteral("profile/roundtrip");
        const QString secret = QStringLiteral("sk-test-ÄÖÜ-0123456789");

        SecretResult written = await([&](auto done) { store.write(name, secret, this, done); });
        QVERIFY2(written.ok(), qPrintable(written.message));
        SecretResult read = await([&](auto done) { store.read(name, this, done); });
        QVERIFY2(read.ok(), qPrintable(read.message));
        QCOMPARE(read.value, secret);

        SecretResult replaced =
            await([&](auto done) { store.write(name, QStringLiteral("second"), this, done); });
        QVERIFY(replaced.ok());
        QCOMPARE(await([&](auto done) { store.read(name, this, done); }).value, QStringLiteral("second"));

        QVERIFY(await([&](auto done) { store.remove(name, this, done); }).ok());
        QCOMPARE(await([&](auto done) { store.read(name, this, done); }).status,
                 SecretResult::Status::NotFound);
        // Removing what is not there is not an error.
        QVERIFY(await([&](auto done) { store.remove(name, this, done); }).ok());
    }

    void parallaxCliUsesTheKeyTheWindowStored() {
        QVERIFY(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"));
        mock::MockConfig config;
        config.requiredApiKey = QStringLiteral("sk-from-the-keychain");
        mock::MockServer server(config);
        QVERIFY(server.listen());
        QTemporaryDir data;
        QFile profiles(data.filePath(QStringLiteral("profiles.json")));
        QVERIFY(profiles.open(QIODevice::WriteOnly));
        profiles.write(
            QJsonDocument(
                QJsonObject{{"profiles", QJsonArray{QJsonObject{{"name", "mine"},
                                                                {"kind", "openai"},
                                                                {"model", "gpt-mock"},
                                                                {"base_url", server.baseUrl() + "/v1"}}}}})
                .toJson());
        profiles.close();
        // Stored as the window stores it: the application's service, the profile's entry.
        KeychainSecretStore store(KeychainSecretStore::applicationService());
        const QString entry = KeychainSecretStore::profileEntry(QStringLiteral("mine"));
        QVERIFY(await([&](auto done) { store.write(entry, config.requiredApiKey, this, done); }).ok());

        auto runCli = [&](const QString& environmentKey) {
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.insert(QStringLiteral("PARALLAX_DATA_DIR"), data.path());
            environment.remove(QStringLiteral("OPENAI_API_KEY"));
            if (!environmentKey.isEmpty())
                environment.insert(QStringLiteral("OPENAI_API_KEY"), environmentKey);
            QProcess cli;
            cli.setProcessEnvironment(environment);
            cli.start(QStringLiteral(PARALLAX_CLI_PATH),
                      {"run", "--json", "--no-cache", "-p", "mine", "Hello"});
            // The mock answers on this thread's event loop while the CLI runs.
            QSignalSpy finished(&cli, &QProcess::finished);
            if (!finished.wait(60'000))
                cli.kill();
            return std::make_pair(cli.exitCode(), cli.readAllStandardError());
        };

        // No variable: the keychain's key is used.
        auto [code, errors] = runCli(QString());
        QVERIFY2(code == 0, errors.constData());
        QCOMPARE(server.receivedRequests().last().header("authorization"),
                 QByteArray("Bearer sk-from-the-keychain"));
        // The profile's own key comes before the kind's variable.
        std::tie(code, errors) = runCli(QStringLiteral("sk-some-other-account"));
        QVERIFY2(code == 0, errors.constData());
        QCOMPARE(server.receivedRequests().last().header("authorization"),
                 QByteArray("Bearer sk-from-the-keychain"));
        QVERIFY(!errors.contains("sk-from-the-keychain"));

        // Without a stored key nor a variable: a usage error that says where a key can come from.
        QVERIFY(await([&](auto done) { store.remove(entry, this, done); }).ok());
        std::tie(code, errors) = runCli(QString());
        QCOMPARE(code, 2);
        QVERIFY2(errors.contains("store it for this profile in the window") &&
                     errors.contains("OPENAI_API_KEY"),
                 errors.constData());
    }
};

QTEST_GUILESS_MAIN(TestKeychainRoundtrip)
#include "TestKeychainRoundtrip.moc"
