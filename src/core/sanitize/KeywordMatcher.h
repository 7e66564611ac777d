#pragma once

#include <QList>
#include <QStringList>

#include <array>
#include <cstdint>
#include <vector>

namespace parallax {

/// Aho-Corasick automaton over lower-case ASCII keywords, matched case-insensitively in one pass
/// (gitleaks' keyword prefilter without one search per keyword). Non-ASCII characters reset to
/// the root, which is right because every keyword is ASCII.
///
/// The transition table is small enough for the first-level cache: characters that act alike
/// share a column (every character in no keyword, ASCII or not, leads to the root; an upper-case
/// letter acts as its lower-case one), states are stored pre-multiplied by the column count, and
/// the accepting states are those with one bit set, so that a step is two lookups.
///
/// scan() runs the automaton over a stretch of text in four interleaved lanes: one lane's steps
/// form a chain of dependent table lookups (a few cycles each), four lanes keep the CPU busy.
/// A lane that starts inside the stretch first reads the `longest()` characters before its part
/// from the root: the state after a character depends only on the keyword-length suffix before it.
class KeywordMatcher {
public:
    /// A keyword occurrence: the automaton's state after the occurrence's last character.
    struct Hit {
        qsizetype last; ///< offset of the last character
        int state;      ///< outputs(state) are the keywords ending there
    };

    explicit KeywordMatcher(const QStringList& keywords = {});

    /// States are opaque numbers; the root is 0.
    int root() const { return 0; }
    /// The state after reading `c` in `state`.
    int next(int state, char16_t c) const { return m_delta[static_cast<size_t>(state) + m_column[c]]; }
    /// Whether any keyword ends in `state`.
    bool hasOutput(int state) const { return (state & m_accepting) != 0; }
    /// Keyword indices that end in `state` (including those reached through suffix links); only
    /// for a state with hasOutput().
    const std::vector<int>& outputs(int state) const {
        return m_outputs[static_cast<size_t>((state - m_accepting) / m_columns)];
    }
    /// The length of the longest keyword.
    int longest() const { return m_longest; }

    /// Reads text[from, to) starting in `state`, appends every hit to `hits` in text order and
    /// returns the state after `to` - exactly what next() character by character gives.
    int scan(const char16_t* text, qsizetype from, qsizetype to, int state, std::vector<Hit>& hits) const;

private:
    // Where scan()'s lanes 1-3 read (from + at[k] + j at step j) and what they need to report a hit.
    struct Lanes {
        qsizetype from;
        qsizetype at[3];
        qsizetype warmUp;
        uint32_t accepting;
    };
    // Out of line (hits are rare), and taking the states by value, so that scan()'s lanes stay in
    // registers.
    [[gnu::noinline]] static void report(const Lanes& lanes, qsizetype j,
                                         const std::array<uint32_t, 4>& states, std::vector<Hit>& hits,
                                         std::vector<Hit> (&later)[3]);

    std::vector<uint8_t> m_column; ///< by UTF-16 unit
    int m_columns = 1;
    std::vector<int32_t> m_delta;
    int m_accepting = 1;
    int m_longest = 0;
    std::vector<std::vector<int>> m_outputs;
};

} // namespace parallax
