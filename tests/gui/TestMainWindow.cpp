#include "app/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace parallax;

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true); // settings go to a test folder, not the user's
        QCoreApplication::setOrganizationName(QStringLiteral("parallax-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("TestMainWindow"));
        QSettings().clear();
    }

    void opensAndQuitsCleanly() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.findChild<QLabel*>(QStringLiteral("welcomeLabel")) != nullptr);

        auto* quit = window.findChild<QAction*>(QStringLiteral("quitAction"));
        QVERIFY(quit != nullptr);
        QCOMPARE(quit->shortcut(), QKeySequence(QKeySequence::Quit));
        quit->trigger();
        QTRY_VERIFY(!window.isVisible());
    }

    void restoresItsGeometry() {
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(700, 500);
            window.close();
        }
        QVERIFY(!QSettings().value(QStringLiteral("mainWindow/geometry")).toByteArray().isEmpty());
        MainWindow reopened;
        reopened.show();
        QVERIFY(QTest::qWaitForWindowExposed(&reopened));
        QCOMPARE(reopened.size(), QSize(700, 500));
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
