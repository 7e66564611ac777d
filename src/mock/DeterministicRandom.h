#pragma once

#include <QtGlobal>

namespace parallax::mock {

/// SplitMix64: tiny, fast and the same on every platform, unlike std:: distributions, so a seed
/// gives the same answers and fault sequence everywhere.
class DeterministicRandom {
public:
    explicit DeterministicRandom(quint64 seed = 1)
        : m_state(seed) {}

    quint64 next() {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    /// Uniform in [0, bound).
    quint32 bounded(quint32 bound) { return bound == 0 ? 0 : static_cast<quint32>(next() % bound); }

    /// Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }

    /// Fisher-Yates, so batch results come back in a seeded order that is not the input order.
    template <typename List>
    void shuffle(List& list) {
        for (qsizetype i = list.size() - 1; i > 0; --i)
            list.swapItemsAt(i, static_cast<qsizetype>(bounded(static_cast<quint32>(i + 1))));
    }

private:
    quint64 m_state;
};

} // namespace parallax::mock
