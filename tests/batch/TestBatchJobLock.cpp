// One run per batch job: a second lock on the same job is refused and names the holder; another job is
// independent; unlocking (or the holder going away) frees it.

#include "batch/BatchJobLock.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTest>

using namespace parallax;

class TestBatchJobLock : public QObject {
    Q_OBJECT

private slots:
    void oneRunPerJob() {
        QTemporaryDir dir;
        const QString database = dir.filePath(QStringLiteral("parallax.db"));
        BatchJobLock first(database, 7);
        QVERIFY(first.tryLock());
        QVERIFY(first.tryLock()); // taking it again is harmless
        QVERIFY(first.isLocked());

        BatchJobLock second(database, 7);
        QVERIFY(!second.tryLock());
        QVERIFY(!second.isLocked());
        QCOMPARE(second.holder(), QStringLiteral("process %1 (%2)")
                                      .arg(QCoreApplication::applicationPid())
                                      .arg(QCoreApplication::applicationName()));

        BatchJobLock other(database, 8);
        QVERIFY(other.tryLock());

        first.unlock();
        QVERIFY(second.tryLock());
        {
            BatchJobLock third(database, 8);
            QVERIFY(!third.tryLock());
        }
        other.unlock();
        {
            BatchJobLock fourth(database, 8);
            QVERIFY(fourth.tryLock()); // freed when its holder goes
        }
        BatchJobLock fifth(database, 8);
        QVERIFY(fifth.tryLock());
    }
};

QTEST_GUILESS_MAIN(TestBatchJobLock)
#include "TestBatchJobLock.moc"
