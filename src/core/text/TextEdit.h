#pragma once

#include <QStringView>

namespace parallax {

/// One contiguous change between two texts: `removed` UTF-16 units at `start` of the old text became
/// `added` units. What the editor's incremental scan re-detects and the preview re-lays out.
struct TextEdit {
    qsizetype start = 0;
    qsizetype removed = 0;
    qsizetype added = 0;

    bool isEmpty() const { return removed == 0 && added == 0; }

    /// The smallest single edit that turns `before` into `after` (their common prefix and suffix kept).
    static TextEdit between(QStringView before, QStringView after);
};

} // namespace parallax
