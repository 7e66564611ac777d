#include "ShapeScanners.h"

#include <algorithm>

namespace parallax {

namespace {

// The subject's characters, with 0 (no class) outside it: lookbehinds and lookaheads at its
// edges see nothing, as PCRE2's do.
class Text {
public:
    explicit Text(QStringView subject)
        : m_data(subject.utf16())
        , m_size(subject.size()) {}

    qsizetype size() const { return m_size; }
    char16_t operator[](qsizetype i) const { return i >= 0 && i < m_size ? m_data[i] : char16_t(0); }

    bool digit(qsizetype i) const {
        const char16_t c = (*this)[i];
        return c >= u'0' && c <= u'9';
    }
    bool hex(qsizetype i) const {
        const char16_t c = (*this)[i];
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
    }
    /// \w without Unicode properties: [A-Za-z0-9_].
    bool word(qsizetype i) const {
        const char16_t c = (*this)[i];
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
    }
    bool digits(qsizetype i, int count) const {
        for (int k = 0; k < count; ++k) {
            if (!digit(i + k))
                return false;
        }
        return true;
    }
    bool hexes(qsizetype i, int count) const {
        for (int k = 0; k < count; ++k) {
            if (!hex(i + k))
                return false;
        }
        return true;
    }

private:
    const char16_t* m_data;
    qsizetype m_size;
};

// Successive leftmost matches: `matchAt(p)` gives the end of the match starting at p, or -1.
template <typename MatchAt>
void scan(const Text& text, std::vector<TextRange>& found, MatchAt matchAt) {
    for (qsizetype p = 0; p < text.size();) {
        const qsizetype end = matchAt(p);
        if (end < 0) {
            ++p;
            continue;
        }
        found.push_back({p, end});
        p = end; // the matches are never empty
    }
}

// The same for patterns that start with a digit and let no word character precede the match: only
// the first digit of each run of digits is tried, and the text between runs is skipped fast.
template <typename MatchAt>
void scanDigitLed(QStringView subject, std::vector<TextRange>& found, MatchAt matchAt) {
    const char16_t* data = subject.utf16();
    const qsizetype size = subject.size();
    auto isDigit = [&](qsizetype i) { return data[i] >= u'0' && data[i] <= u'9'; };
    qsizetype p = 0;
    while (true) {
        while (p < size && !isDigit(p))
            ++p;
        if (p >= size)
            return;
        const qsizetype end = matchAt(p);
        if (end >= 0) {
            found.push_back({p, end});
            p = end;
            continue;
        }
        // The other digits of this run have a digit (a word character) before them.
        while (p < size && isDigit(p))
            ++p;
    }
}

// OCTET followed by '.': the octet can only be the whole digit run before the '.', so the choice
// among the alternatives is forced; the length of that run, or -1.
qsizetype octetBeforeDot(const Text& t, qsizetype q) {
    qsizetype length = 0;
    while (length < 4 && t.digit(q + length))
        ++length;
    if (length == 0 || length > 3 || t[q + length] != u'.')
        return -1;
    const char16_t a = t[q];
    const char16_t b = t[q + 1];
    const char16_t c = t[q + 2];
    switch (length) {
    case 1:
        return 1; // [1-9]?\d with an empty [1-9]?
    case 2:
        return a != u'0' ? 2 : -1; // [1-9]\d
    default:
        if (a == u'1' || (a == u'2' && ((b >= u'0' && b <= u'4') || (b == u'5' && c <= u'5'))))
            return 3; // 1\d\d, 2[0-4]\d, 25[0-5]
        return -1;
    }
}

} // namespace

void ShapeScanners::ipv4(QStringView subject, std::vector<TextRange>& found) {
    const Text t(subject);
    // (?![\w]|\.\d)
    auto endsHere = [&](qsizetype i) { return !t.word(i) && !(t[i] == u'.' && t.digit(i + 1)); };
    scanDigitLed(subject, found, [&](qsizetype p) -> qsizetype {
        if (!t.digit(p) || t.word(p - 1) || t[p - 1] == u'.')
            return -1;
        qsizetype q = p;
        for (int k = 0; k < 3; ++k) {
            const qsizetype length = octetBeforeDot(t, q);
            if (length < 0)
                return -1;
            q += length + 1;
        }
        // The fourth octet's alternatives in the order the pattern tries them.
        qsizetype lengths[3];
        int count = 0;
        const char16_t a = t[q];
        const char16_t b = t[q + 1];
        if ((a == u'2' && b == u'5' && t[q + 2] >= u'0' && t[q + 2] <= u'5') ||
            (a == u'2' && b >= u'0' && b <= u'4' && t.digit(q + 2)) || (a == u'1' && t.digits(q + 1, 2)))
            lengths[count++] = 3; // 25[0-5] | 2[0-4]\d | 1\d\d (at most one applies)
        if (a >= u'1' && a <= u'9' && t.digit(q + 1))
            lengths[count++] = 2; // [1-9]?\d, greedy
        if (t.digit(q))
            lengths[count++] = 1;
        for (int k = 0; k < count; ++k) {
            const qsizetype e = q + lengths[k];
            // (?:/(?:3[0-2]|[12]?\d))?, greedy: with a prefix first, in the alternatives' order.
            if (t[e] == u'/') {
                const char16_t x = t[e + 1];
                const char16_t y = t[e + 2];
                if (x == u'3' && y >= u'0' && y <= u'2' && endsHere(e + 3))
                    return e + 3;
                if ((x == u'1' || x == u'2') && t.digit(e + 2) && endsHere(e + 3))
                    return e + 3;
                if (t.digit(e + 1) && endsHere(e + 2))
                    return e + 2;
            }
            if (endsHere(e))
                return e;
        }
        return -1;
    });
}

void ShapeScanners::usSsn(QStringView subject, std::vector<TextRange>& found) {
    const Text t(subject);
    scanDigitLed(subject, found, [&](qsizetype p) -> qsizetype {
        if (!t.digit(p) || t.word(p - 1) || t[p - 1] == u'-' || t[p - 1] == u'.')
            return -1;
        const char16_t separator = t[p + 3];
        if (!t.digits(p, 3) || (separator != u'-' && separator != u' ' && separator != u'.') ||
            !t.digits(p + 4, 2) || t[p + 6] != separator || !t.digits(p + 7, 4))
            return -1;
        const qsizetype end = p + 11;
        // (?![\w\-]|\.\d)
        if (t.word(end) || t[end] == u'-' || (t[end] == u'.' && t.digit(end + 1)))
            return -1;
        return end;
    });
}

void ShapeScanners::weakSsn(QStringView subject, std::vector<TextRange>& found) {
    const Text t(subject);
    auto endsHere = [&](qsizetype i) {
        return !t.word(i) && t[i] != u'-' && !(t[i] == u'.' && t.digit(i + 1));
    };
    scanDigitLed(subject, found, [&](qsizetype p) -> qsizetype {
        if (!t.digit(p) || t.word(p - 1) || t[p - 1] == u'-' || t[p - 1] == u'.')
            return -1;
        if (t.digits(p, 9) && endsHere(p + 9))
            return p + 9; // \d{9}
        if (t.digits(p, 3) && t[p + 3] == u'-' && t.digits(p + 4, 6) && endsHere(p + 10))
            return p + 10; // \d{3}-\d{6}
        if (t.digits(p, 5) && t[p + 5] == u'-' && t.digits(p + 6, 4) && endsHere(p + 10))
            return p + 10; // \d{5}-\d{4}
        return -1;
    });
}

void ShapeScanners::creditCard(QStringView subject, std::vector<TextRange>& found) {
    const Text t(subject);
    auto runOf = [&](qsizetype i, int most) {
        int n = 0;
        while (n < most && t.digit(i + n))
            ++n;
        return n;
    };
    // The pattern's choices after the four-digit prefix, depth first in its order: each optional
    // separator taken before left out, each digit group as long as possible first.
    auto rest = [&](qsizetype i) -> qsizetype {
        auto separators = [&](qsizetype at, qsizetype options[2]) {
            int count = 0;
            if (t[at] == u'-' || t[at] == u' ')
                options[count++] = at + 1;
            options[count++] = at;
            return count;
        };
        qsizetype after1[2];
        const int n1 = separators(i, after1);
        for (int s1 = 0; s1 < n1; ++s1) {
            for (int l1 = std::min(4, runOf(after1[s1], 4)); l1 >= 3; --l1) {
                qsizetype after2[2];
                const int n2 = separators(after1[s1] + l1, after2);
                for (int s2 = 0; s2 < n2; ++s2) {
                    for (int l2 = std::min(4, runOf(after2[s2], 4)); l2 >= 3; --l2) {
                        qsizetype after3[2];
                        const int n3 = separators(after2[s2] + l2, after3);
                        for (int s3 = 0; s3 < n3; ++s3) {
                            for (int l3 = runOf(after3[s3], 5); l3 >= 3; --l3) {
                                const qsizetype end = after3[s3] + l3;
                                if (!t.word(end) && t[end] != u'-') // (?![\w\-])
                                    return end;
                            }
                        }
                    }
                }
            }
        }
        return -1;
    };
    scanDigitLed(subject, found, [&](qsizetype p) -> qsizetype {
        if (!t.digit(p) || t.word(p - 1) || t[p - 1] == u'-')
            return -1;
        // (?!1\d{12}(?!\d)): a 13-digit number starting with 1 is a millisecond timestamp.
        if (t[p] == u'1' && t.digits(p + 1, 12) && !t.digit(p + 13))
            return -1;
        // 4\d{3} | 5[0-5]\d{2} | 2[2-7]\d{2} | 6\d{3} | 1\d{3} | 3\d{3}: the first digit picks one.
        const char16_t a = t[p];
        const char16_t b = t[p + 1];
        const bool prefix = (a == u'4' || a == u'6' || a == u'1' || a == u'3') ? t.digits(p + 1, 3)
                            : a == u'5' ? (b >= u'0' && b <= u'5' && t.digits(p + 2, 2))
                            : a == u'2' ? (b >= u'2' && b <= u'7' && t.digits(p + 2, 2))
                                        : false;
        return prefix ? rest(p + 4) : -1;
    });
}

void ShapeScanners::iban(QStringView subject, std::vector<TextRange>& found) {
    const Text t(subject);
    auto alnum = [&](qsizetype i) { return t.word(i) && t[i] != u'_'; }; // [A-Za-z0-9]
    auto upperOrDigit = [&](qsizetype i) {
        const char16_t c = t[i];
        return (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
    };
    auto separators = [&](qsizetype at, qsizetype options[2]) { // [ \-]? greedy
        int count = 0;
        if (t[at] == u' ' || t[at] == u'-')
            options[count++] = at + 1;
        options[count++] = at;
        return count;
    };
    // (?:[ \-]?[A-Z0-9]{1,4})? then (?![A-Za-z0-9]): the group before leaving it out, longest first.
    auto tail = [&](qsizetype at) -> qsizetype {
        qsizetype after[2];
        const int count = separators(at, after);
        for (int s = 0; s < count; ++s) {
            int length = 0;
            while (length < 4 && upperOrDigit(after[s] + length))
                ++length;
            for (; length >= 1; --length) {
                if (!alnum(after[s] + length))
                    return after[s] + length;
            }
        }
        return alnum(at) ? -1 : at;
    };
    // (?:[ \-]?[A-Z0-9]{4}){2,7}, greedy: another group before stopping, each with its separator
    // before without.
    auto groups = [&](auto& self, int done, qsizetype at) -> qsizetype {
        if (done < 7) {
            qsizetype after[2];
            const int count = separators(at, after);
            for (int s = 0; s < count; ++s) {
                if (upperOrDigit(after[s]) && upperOrDigit(after[s] + 1) && upperOrDigit(after[s] + 2) &&
                    upperOrDigit(after[s] + 3)) {
                    const qsizetype end = self(self, done + 1, after[s] + 4);
                    if (end >= 0)
                        return end;
                }
            }
        }
        return done >= 2 ? tail(at) : -1;
    };
    scan(t, found, [&](qsizetype p) -> qsizetype {
        const char16_t a = t[p];
        const char16_t b = t[p + 1];
        if (!(a >= u'A' && a <= u'Z') || !(b >= u'A' && b <= u'Z') || !t.digits(p + 2, 2) || alnum(p - 1))
            return -1;
        return groups(groups, 0, p + 4);
    });
}

void ShapeScanners::macColon(QStringView subject, std::vector<TextRange>& found) {
    const Text t(subject);
    auto sideChar = [&](qsizetype i) { return t.word(i) || t[i] == u':' || t[i] == u'-'; };
    scan(t, found, [&](qsizetype p) -> qsizetype {
        if (!t.hex(p) || sideChar(p - 1))
            return -1;
        const char16_t separator = t[p + 2];
        if (!t.hexes(p, 2) || (separator != u':' && separator != u'-'))
            return -1;
        for (qsizetype q = p + 3; q < p + 15; q += 3) {
            if (!t.hexes(q, 2) || t[q + 2] != separator)
                return -1;
        }
        if (!t.hexes(p + 15, 2) || sideChar(p + 17))
            return -1;
        return p + 17;
    });
}

void ShapeScanners::macDotted(QStringView subject, std::vector<TextRange>& found) {
    const Text t(subject);
    scan(t, found, [&](qsizetype p) -> qsizetype {
        if (!t.hex(p) || t.word(p - 1) || t[p - 1] == u'.')
            return -1;
        if (!t.hexes(p, 4) || t[p + 4] != u'.' || !t.hexes(p + 5, 4) || t[p + 9] != u'.' ||
            !t.hexes(p + 10, 4))
            return -1;
        const qsizetype end = p + 14;
        // (?![\w]|\.\w)
        if (t.word(end) || (t[end] == u'.' && t.word(end + 1)))
            return -1;
        return end;
    });
}

} // namespace parallax
