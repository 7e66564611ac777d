#pragma once

#include <QString>

namespace parallax {

/// Where Parallax keeps its database, settings and cache: `PARALLAX_DATA_DIR` when set (tests and scripts),
/// otherwise the platform's application data folder (on Linux ~/.local/share/parallax).
class DataDirectory {
public:
    static QString path();

    /// Creates the folder if needed; on failure returns false with a sentence in `error`.
    static bool ensureExists(QString* error);

    static QString filePath(const QString& name);
};

} // namespace parallax
