#pragma once

#include <QList>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace parallax {

/// Aho-Corasick automaton over lower-case ASCII keywords, matched case-insensitively in one pass
/// (gitleaks' keyword prefilter without one search per keyword). Non-ASCII characters reset to
/// the root, which is right because every keyword is ASCII.
class KeywordMatcher {
public:
    explicit KeywordMatcher(const QStringList& keywords = {});

    int root() const { return 0; }
    /// The state after reading `c` in `state`.
    int next(int state, char16_t c) const {
        if (c >= 128)
            return 0;
        return m_delta[static_cast<size_t>(state) * 128 + c];
    }
    /// Same for an ASCII `c` (< 128), without the range check.
    int nextAscii(int state, char16_t c) const { return m_delta[static_cast<size_t>(state) * 128 + c]; }
    /// Keyword indices that end in `state` (including those reached through suffix links).
    const std::vector<int>& outputs(int state) const { return m_outputs[static_cast<size_t>(state)]; }
    /// Whether any keyword ends in `state` (one byte per state: asked once per character).
    bool hasOutput(int state) const { return m_accepting[static_cast<size_t>(state)] != 0; }

private:
    std::vector<int32_t> m_delta;
    std::vector<std::vector<int>> m_outputs;
    std::vector<uint8_t> m_accepting;
};

} // namespace parallax
