#pragma once

#include "store/AuditRecord.h"

#include <QString>

#include <optional>

namespace parallax {

class Database;

/// The append-only, hash-chained audit log. Each record stores its canonical JSON content, the hash of
/// the record before it, and SHA-256(previous hash + content); editing, inserting or removing a record in
/// the middle breaks the chain at that record. SQLite triggers also refuse UPDATE and DELETE.
class AuditLog {
public:
    struct Verification {
        bool intact = true;
        qint64 records = 0;
        std::optional<qint64> firstBrokenId; ///< the first record whose content or link does not match
        QString problem;
    };

    explicit AuditLog(Database& database);

    bool append(const AuditRecord& record, QString* error);
    Verification verify() const;

    static QByteArray canonicalContent(const AuditRecord& record);
    static QString chainHash(const QString& previousHash, const QByteArray& content);
    static QString genesisHash() { return QString(64, QLatin1Char('0')); }

private:
    Database& m_database;
};

} // namespace parallax
