#pragma once

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <memory>

namespace parallax {

/// The SQLite database in the data folder (history, audit log, cache, spend), opened in WAL mode and
/// brought to the newest schema by numbered migrations recorded in `PRAGMA user_version`.
/// A Database is used from the thread that opened it (Qt SQL connections are per thread).
class Database {
public:
    static std::unique_ptr<Database> open(const QString& path, QString* error);
    ~Database();

    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    QSqlDatabase connection() const { return QSqlDatabase::database(m_connectionName, false); }

    /// A statement prepared once and reused: preparing costs more than running a small insert, and
    /// the engine writes a few rows per request. Not for statements that run nested in one another.
    QSqlQuery& prepared(const QString& sql);
    QString path() const { return m_path; }
    int schemaVersion() const;

    static int latestSchemaVersion();

private:
    Database(QString connectionName, QString path);
    bool migrate(QString* error);

    QString m_connectionName;
    QString m_path;
    QHash<QString, QSqlQuery> m_statements;
};

} // namespace parallax
