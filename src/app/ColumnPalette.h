#pragma once

#include <QColor>

namespace parallax {

/// The colour of each answer column: its header swatch, its citations ([A], [B], …) in the synthesis
/// and its row in the agreement heat map all use it, so the reader can follow one answer everywhere.
/// Colours belong to column positions (first column, second, …), so they stay the same between
/// comparisons; eight hues far enough apart to tell apart in light and dark themes and with the
/// common colour-vision deficiencies (Okabe–Ito, plus two).
class ColumnPalette {
public:
    static constexpr int size = 8;
    static QColor colour(int column);
};

} // namespace parallax
