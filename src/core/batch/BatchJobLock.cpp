#include "BatchJobLock.h"

#include <QDir>
#include <QFileInfo>

namespace parallax {

namespace {
QString lockPath(const QString& databasePath, qint64 jobId) {
    return QFileInfo(databasePath).absoluteDir().filePath(QStringLiteral("batch-%1.lock").arg(jobId));
}
} // namespace

BatchJobLock::BatchJobLock(const QString& databasePath, qint64 jobId)
    : m_file(lockPath(databasePath, jobId))
    , m_path(lockPath(databasePath, jobId)) {
    // A run holds its lock for hours; only a dead holder's lock may be taken over, never a slow one's.
    m_file.setStaleLockTime(0);
}

BatchJobLock::~BatchJobLock() = default;

bool BatchJobLock::tryLock() {
    return m_file.isLocked() || m_file.tryLock(0);
}

void BatchJobLock::unlock() {
    if (m_file.isLocked())
        m_file.unlock();
}

QString BatchJobLock::holder() const {
    qint64 pid = 0;
    QString hostname;
    QString application;
    switch (m_file.error()) {
    case QLockFile::LockFailedError:
        if (m_file.getLockInfo(&pid, &hostname, &application))
            return QStringLiteral("process %1 (%2)")
                .arg(pid)
                .arg(application.isEmpty() ? hostname : application);
        return QStringLiteral("another process");
    case QLockFile::PermissionError:
        return QStringLiteral("nobody: %1 cannot be written").arg(m_path);
    default:
        return QStringLiteral("nobody: %1 could not be created").arg(m_path);
    }
}

} // namespace parallax
