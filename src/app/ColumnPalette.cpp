#include "ColumnPalette.h"

#include <array>

namespace parallax {

QColor ColumnPalette::colour(int column) {
    static constexpr std::array<QRgb, size> colours{
        0xff0072b2, // blue
        0xffd55e00, // vermillion
        0xff009e73, // bluish green
        0xffcc79a7, // reddish purple
        0xffe69f00, // orange
        0xff56b4e9, // sky blue
        0xff8c6d31, // brown
        0xff7f7f7f, // grey
    };
    if (column < 0)
        return QColor(colours[0]);
    return QColor(colours[std::size_t(column % size)]);
}

} // namespace parallax
