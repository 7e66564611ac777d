#include "TextEdit.h"

#include <algorithm>

namespace parallax {

TextEdit TextEdit::between(QStringView before, QStringView after) {
    const qsizetype shorter = std::min(before.size(), after.size());
    const auto mismatch = std::mismatch(before.begin(), before.begin() + shorter, after.begin());
    const qsizetype prefix = mismatch.first - before.begin();
    qsizetype suffix = 0;
    while (suffix < shorter - prefix &&
           before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix])
        ++suffix;
    return {prefix, before.size() - prefix - suffix, after.size() - prefix - suffix};
}

} // namespace parallax
