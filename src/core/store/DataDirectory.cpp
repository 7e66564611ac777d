#include "DataDirectory.h"

#include <QDir>
#include <QStandardPaths>

namespace parallax {

QString DataDirectory::path() {
    const QString overridden = qEnvironmentVariable("PARALLAX_DATA_DIR");
    if (!overridden.isEmpty())
        return QDir(overridden).absolutePath();
    QString standard = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(standard).absoluteFilePath(QStringLiteral("parallax"));
}

bool DataDirectory::ensureExists(QString* error) {
    const QString dir = path();
    if (QDir().mkpath(dir))
        return true;
    if (error)
        *error =
            QStringLiteral("cannot create the data folder %1 (set PARALLAX_DATA_DIR to a writable folder)")
                .arg(dir);
    return false;
}

QString DataDirectory::filePath(const QString& name) {
    return QDir(path()).absoluteFilePath(name);
}

} // namespace parallax
