#pragma once

#include <QLockFile>
#include <QString>

namespace parallax {

/// Keeps two runs — two windows, or a window and parallax-cli — from working on one batch job at once:
/// both would read the same pending items and send each of them twice. One lock file per job next to
/// the database; QLockFile frees it when its holder ends and takes over one left by a process that died.
class BatchJobLock {
public:
    BatchJobLock(const QString& databasePath, qint64 jobId);
    ~BatchJobLock();

    BatchJobLock(const BatchJobLock&) = delete;
    BatchJobLock& operator=(const BatchJobLock&) = delete;

    /// Takes the lock without waiting; false when another run holds it (see holder()).
    bool tryLock();
    void unlock();
    bool isLocked() const { return m_file.isLocked(); }
    /// Who holds it, for a message: "process 1234 (parallax-cli)"; why it could not be taken otherwise.
    QString holder() const;

private:
    QLockFile m_file;
    QString m_path;
};

} // namespace parallax
