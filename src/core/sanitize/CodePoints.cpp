#include "CodePoints.h"

#include <algorithm>

namespace parallax {

CodePoints::CodePoints(QStringView text) {
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && text.at(i + 1).isLowSurrogate()) {
            m_surrogateStarts.append(i);
            ++i;
        }
    }
}

qsizetype CodePoints::fromUtf16(qsizetype utf16) const {
    // Every surrogate pair that ends at or before `utf16` counts one unit less.
    const auto it = std::lower_bound(m_surrogateStarts.begin(), m_surrogateStarts.end(), utf16 - 1);
    return utf16 - (it - m_surrogateStarts.begin());
}

} // namespace parallax
