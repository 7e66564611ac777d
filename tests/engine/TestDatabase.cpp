#include "store/Database.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace parallax;

namespace {

QVariant scalar(const Database& database, const QString& sql) {
    QSqlQuery query(database.connection());
    if (!query.exec(sql) || !query.next())
        return {};
    return query.value(0);
}

QStringList tables(const Database& database) {
    QSqlQuery query(database.connection());
    QStringList names;
    query.exec(
        QStringLiteral("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') ORDER BY name"));
    while (query.next())
        names << query.value(0).toString();
    return names;
}

// Changes a database file without Database, as another program (or a newer Parallax) would.
bool setUserVersion(const QString& path, int version) {
    const QString name = QStringLiteral("raw-%1").arg(version);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            ok = query.exec(QStringLiteral("PRAGMA user_version=%1").arg(version));
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

class TestDatabase : public QObject {
    Q_OBJECT

private slots:
    void migratesToLatest();
    void reopeningIsIdempotent();
    void twoConnectionsAtOnce();
    void walJournalMode();
    void newerSchemaRefused();
    void unopenablePathRefused();
    void failedMigrationIsRolledBack();
};

void TestDatabase::migratesToLatest() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("parallax.sqlite"));
    QString error;
    const auto database = Database::open(path, &error);
    QVERIFY2(database, qPrintable(error));
    QVERIFY(Database::latestSchemaVersion() >= 1);
    QCOMPARE(database->schemaVersion(), Database::latestSchemaVersion());
    QCOMPARE(scalar(*database, QStringLiteral("PRAGMA user_version")).toInt(),
             Database::latestSchemaVersion());
    QCOMPARE(database->path(), path);
    QVERIFY(QFile::exists(path));

    const QStringList names = tables(*database);
    for (const char* table :
         {"runs", "answers", "audit", "cache", "spend", "audit_no_update", "audit_no_delete"})
        QVERIFY2(names.contains(QString::fromLatin1(table)), table);
    QCOMPARE(scalar(*database, QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
}

void TestDatabase::reopeningIsIdempotent() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("parallax.sqlite"));
    QString error;
    QStringList firstTables;
    {
        const auto database = Database::open(path, &error);
        QVERIFY2(database, qPrintable(error));
        firstTables = tables(*database);
        QSqlQuery query(database->connection());
        QVERIFY(query.exec(
            QStringLiteral("INSERT INTO spend (created_at, day, month, request_id, profile, model, "
                           "cost_usd) VALUES ('t', '2026-06-15', '2026-06', 'r1', 'p', 'm', 0.5)")));
    }
    for (int i = 0; i < 3; ++i) {
        const auto database = Database::open(path, &error);
        QVERIFY2(database, qPrintable(error));
        QCOMPARE(database->schemaVersion(), Database::latestSchemaVersion());
        QCOMPARE(tables(*database), firstTables);
        QCOMPARE(scalar(*database, QStringLiteral("SELECT COUNT(*) FROM spend")).toInt(), 1);
    }
}

void TestDatabase::twoConnectionsAtOnce() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("parallax.sqlite"));
    QString error;
    const auto first = Database::open(path, &error);
    QVERIFY2(first, qPrintable(error));
    const auto second = Database::open(path, &error);
    QVERIFY2(second, qPrintable(error));
    QVERIFY(first->connection().connectionName() != second->connection().connectionName());

    QSqlQuery write(first->connection());
    QVERIFY(
        write.exec(QStringLiteral("INSERT INTO cache (key, created_at_ms, last_used_ms, answer_json) VALUES "
                                  "('k', 1, 1, '{}')")));
    QCOMPARE(scalar(*second, QStringLiteral("SELECT COUNT(*) FROM cache")).toInt(), 1);
}

void TestDatabase::walJournalMode() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    const auto database = Database::open(dir.filePath(QStringLiteral("parallax.sqlite")), &error);
    QVERIFY2(database, qPrintable(error));
    QCOMPARE(scalar(*database, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
}

void TestDatabase::newerSchemaRefused() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("parallax.sqlite"));
    QString error;
    Database::open(path, &error).reset();
    const int newer = Database::latestSchemaVersion() + 1;
    QVERIFY(setUserVersion(path, newer));

    error.clear();
    const auto database = Database::open(path, &error);
    QVERIFY(!database);
    QVERIFY2(error.contains(QStringLiteral("newer")), qPrintable(error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY2(error.contains(QString::number(newer)), qPrintable(error));

    // Refusing does not touch the file: its version stays the newer one.
    error.clear();
    QVERIFY(!Database::open(path, &error));
    QVERIFY(setUserVersion(path, Database::latestSchemaVersion()));
    QVERIFY2(Database::open(path, &error), qPrintable(error));
}

void TestDatabase::unopenablePathRefused() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    const auto database =
        Database::open(dir.filePath(QStringLiteral("missing/folder/parallax.sqlite")), &error);
    QVERIFY(!database);
    QVERIFY(!error.isEmpty());
}

void TestDatabase::failedMigrationIsRolledBack() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("parallax.sqlite"));
    // A file at schema 0 that already has a table the first migration creates: that migration fails.
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw-conflict"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("CREATE TABLE spend (x INTEGER)")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw-conflict"));

    QString error;
    QVERIFY(!Database::open(path, &error));
    QVERIFY2(error.contains(QStringLiteral("schema 1")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("spend")), qPrintable(error));

    // Nothing of the failed step stays behind: still schema 0, none of its other tables.
    const QString name = QStringLiteral("raw-check");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("PRAGMA user_version")) && query.next());
        QCOMPARE(query.value(0).toInt(), 0);
        QVERIFY(
            query.exec(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('runs', 'audit', "
                                      "'cache')")) &&
            query.next());
        QCOMPARE(query.value(0).toInt(), 0);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

QTEST_GUILESS_MAIN(TestDatabase)
#include "TestDatabase.moc"
