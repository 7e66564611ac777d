// The one test that talks to a real keychain: run by keychain_roundtrip.sh inside dbus-run-session with
// an unlocked, throwaway gnome-keyring (never the user's).
#include "secrets/KeychainSecretStore.h"

#include <QSignalSpy>
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
};

QTEST_GUILESS_MAIN(TestKeychainRoundtrip)
#include "TestKeychainRoundtrip.moc"
