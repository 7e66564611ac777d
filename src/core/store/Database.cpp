#include "Database.h"

#include <QAtomicInteger>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace parallax {

namespace {

// Each entry moves the schema one version up. Never edit a shipped entry: add a new one.
const QList<QStringList>& migrations() {
    static const QList<QStringList> steps{
        // 1: history, audit log, response cache, spend ledger
        {
            R"(CREATE TABLE runs (
                 id INTEGER PRIMARY KEY,
                 request_id TEXT NOT NULL UNIQUE,
                 created_at TEXT NOT NULL,
                 command TEXT NOT NULL,
                 prompt TEXT NOT NULL,
                 system_prompt TEXT NOT NULL,
                 parameters TEXT NOT NULL,
                 synthesis TEXT))",
            R"(CREATE TABLE answers (
                 id INTEGER PRIMARY KEY,
                 run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                 position INTEGER NOT NULL,
                 profile TEXT NOT NULL,
                 kind TEXT NOT NULL,
                 model TEXT NOT NULL,
                 text TEXT NOT NULL,
                 finish_reason TEXT,
                 input_tokens INTEGER,
                 output_tokens INTEGER,
                 ttft_ms INTEGER,
                 latency_ms INTEGER,
                 cost_usd REAL,
                 cached INTEGER NOT NULL,
                 error_type TEXT,
                 answer_json TEXT NOT NULL))",
            "CREATE INDEX answers_by_run ON answers(run_id, position)",
            R"(CREATE TABLE audit (
                 id INTEGER PRIMARY KEY,
                 content TEXT NOT NULL,
                 previous_hash TEXT NOT NULL,
                 hash TEXT NOT NULL))",
            // Append-only: the database itself refuses to change or remove an audit record.
            R"(CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END)",
            R"(CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END)",
            R"(CREATE TABLE cache (
                 key TEXT PRIMARY KEY,
                 created_at_ms INTEGER NOT NULL,
                 last_used_ms INTEGER NOT NULL,
                 answer_json TEXT NOT NULL))",
            "CREATE INDEX cache_by_use ON cache(last_used_ms)",
            R"(CREATE TABLE spend (
                 id INTEGER PRIMARY KEY,
                 created_at TEXT NOT NULL,
                 day TEXT NOT NULL,
                 month TEXT NOT NULL,
                 request_id TEXT NOT NULL,
                 profile TEXT NOT NULL,
                 model TEXT NOT NULL,
                 cost_usd REAL NOT NULL))",
            "CREATE INDEX spend_by_day ON spend(day)",
            "CREATE INDEX spend_by_month ON spend(month)",
        },
        // 2: batches: a job and one item per input row and profile, so a crash loses nothing finished
        {
            R"(CREATE TABLE batch_jobs (
                 id INTEGER PRIMARY KEY,
                 job_key TEXT NOT NULL UNIQUE,
                 created_at TEXT NOT NULL,
                 input_path TEXT NOT NULL,
                 output_path TEXT NOT NULL,
                 profiles TEXT NOT NULL,
                 state TEXT NOT NULL))",
            R"(CREATE TABLE batch_items (
                 id INTEGER PRIMARY KEY,
                 job_id INTEGER NOT NULL REFERENCES batch_jobs(id) ON DELETE CASCADE,
                 row_index INTEGER NOT NULL,
                 item_id TEXT NOT NULL,
                 profile_index INTEGER NOT NULL,
                 prompt TEXT NOT NULL,
                 system_prompt TEXT NOT NULL,
                 state TEXT NOT NULL,
                 attempts INTEGER NOT NULL DEFAULT 0,
                 answer_json TEXT,
                 updated_at TEXT NOT NULL,
                 UNIQUE (job_id, row_index, profile_index)))",
            "CREATE INDEX batch_items_by_state ON batch_items(job_id, state)",
        },
        // 3: provider Batch APIs: the remote batch of a job's items, so polling resumes after a restart
        {
            R"(CREATE TABLE batch_remote (
                 id INTEGER PRIMARY KEY,
                 job_id INTEGER NOT NULL REFERENCES batch_jobs(id) ON DELETE CASCADE,
                 profile_index INTEGER NOT NULL,
                 kind TEXT NOT NULL,
                 base_url TEXT NOT NULL,
                 phase TEXT NOT NULL,
                 remote_id TEXT,
                 input_file_id TEXT,
                 status TEXT,
                 output_file_id TEXT,
                 error_file_id TEXT,
                 results_url TEXT,
                 created_at TEXT NOT NULL,
                 updated_at TEXT NOT NULL))",
            "CREATE INDEX batch_remote_by_job ON batch_remote(job_id, phase)",
            // The item's custom_id at the provider is its own id; this says which remote batch holds it.
            "ALTER TABLE batch_items ADD COLUMN remote_batch_id INTEGER REFERENCES batch_remote(id) ON "
            "DELETE SET NULL",
            "CREATE INDEX batch_items_by_remote ON batch_items(remote_batch_id)",
        },
        // 4: what a batch job was started with, so a window can list it and resume it as it was begun
        {
            "ALTER TABLE batch_jobs ADD COLUMN mode TEXT NOT NULL DEFAULT 'local'",
            "ALTER TABLE batch_jobs ADD COLUMN concurrency INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE batch_jobs ADD COLUMN budget_usd REAL",
            // Jobs from before this step: one that ever had a provider batch was started in provider mode.
            "UPDATE batch_jobs SET mode = 'provider' WHERE id IN (SELECT job_id FROM batch_remote)",
        },
    };
    return steps;
}

QString nextConnectionName() {
    static QAtomicInteger<int> counter;
    return QStringLiteral("parallax-db-%1").arg(counter.fetchAndAddRelaxed(1));
}

bool exec(QSqlDatabase& db, const QString& sql, QString* error) {
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    *error = query.lastError().text();
    return false;
}

} // namespace

int Database::latestSchemaVersion() {
    return static_cast<int>(migrations().size());
}

Database::Database(QString connectionName, QString path)
    : m_connectionName(std::move(connectionName))
    , m_path(std::move(path)) {}

Database::~Database() {
    m_statements.clear(); // statements must go before their connection
    {
        QSqlDatabase db = connection();
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

std::unique_ptr<Database> Database::open(const QString& path, QString* error) {
    std::unique_ptr<Database> database(new Database(nextConnectionName(), path));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), database->m_connectionName);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open()) {
            *error = QStringLiteral("cannot open the database %1: %2").arg(path, db.lastError().text());
            return nullptr;
        }
        QString pragmaError;
        // WAL lets readers (history, the GUI) work while a writer appends; NORMAL is durable in WAL mode
        // except for the last transactions before a power cut, never corrupting.
        for (const char* pragma :
             {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
            if (!exec(db, QString::fromLatin1(pragma), &pragmaError)) {
                *error = QStringLiteral("cannot prepare the database %1: %2").arg(path, pragmaError);
                return nullptr;
            }
        }
    }
    if (!database->migrate(error))
        return nullptr;
    return database;
}

QSqlQuery& Database::prepared(const QString& sql) {
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        QSqlQuery query(connection());
        query.prepare(sql);
        it = m_statements.insert(sql, query);
    }
    it->finish(); // a SELECT used before may still hold its result set
    return *it;
}

int Database::schemaVersion() const {
    QSqlQuery query(connection());
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

bool Database::migrate(QString* error) {
    const int current = schemaVersion();
    if (current > latestSchemaVersion()) {
        *error = QStringLiteral(
                     "the database %1 was written by a newer Parallax (schema %2, this version knows %3)")
                     .arg(m_path)
                     .arg(current)
                     .arg(latestSchemaVersion());
        return false;
    }
    QSqlDatabase db = connection();
    for (int version = current; version < latestSchemaVersion(); ++version) {
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        QString stepError;
        bool ok = true;
        for (const QString& statement : migrations().at(version)) {
            if (!exec(db, statement, &stepError)) {
                ok = false;
                break;
            }
        }
        if (ok)
            ok = exec(db, QStringLiteral("PRAGMA user_version=%1").arg(version + 1), &stepError);
        if (!ok || !db.commit()) {
            db.rollback();
            *error = QStringLiteral("cannot upgrade the database %1 to schema %2: %3")
                         .arg(m_path)
                         .arg(version + 1)
                         .arg(stepError);
            return false;
        }
    }
    return true;
}

} // namespace parallax
