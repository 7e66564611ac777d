#include "mock/MockServer.h"

#include <QtTest>

using namespace parallax::mock;

class TestMockServer : public QObject {
    Q_OBJECT
private slots:
    void listens();
};

void TestMockServer::listens() {
    MockServer server;
    QVERIFY(server.listen());
    QVERIFY(server.port() > 0);
}

QTEST_GUILESS_MAIN(TestMockServer)
#include "TestMockServer.moc"
