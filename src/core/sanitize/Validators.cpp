#include "Validators.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QVarLengthArray>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace parallax {

namespace {

bool isDigit(QChar c) {
    return c >= u'0' && c <= u'9';
}

// Registered IBAN lengths per country (SWIFT IBAN registry). A length check catches truncated or
// padded numbers that mod-97 alone would not.
int ibanLength(QStringView country) {
    struct Entry {
        char code[3];
        int length;
    };
    static constexpr Entry table[] = {
        {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
        {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
        {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
        {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
        {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27},
        {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
        {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
        {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28},
        {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
        {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28},
        {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
    };
    for (const Entry& e : table) {
        if (country.at(0) == QLatin1Char(e.code[0]) && country.at(1) == QLatin1Char(e.code[1]))
            return e.length;
    }
    return 0;
}

QByteArray sha256(const QByteArray& data) {
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

bool base58Check(QStringView text) {
    static constexpr char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    if (text.size() < 26 || text.size() > 35)
        return false;
    std::vector<uint8_t> bytes(25, 0); // big-endian accumulator; addresses decode to 25 bytes
    for (QChar c : text) {
        const char* pos = c.unicode() < 128 ? std::strchr(alphabet, static_cast<char>(c.unicode())) : nullptr;
        if (!pos || c.unicode() == 0)
            return false;
        int carry = static_cast<int>(pos - alphabet);
        for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) {
            carry += 58 * (*it);
            *it = static_cast<uint8_t>(carry & 0xff);
            carry >>= 8;
        }
        if (carry != 0)
            return false; // does not fit in 25 bytes
    }
    if (bytes[0] != 0x00 && bytes[0] != 0x05)
        return false;
    const QByteArray payload(reinterpret_cast<const char*>(bytes.data()), 21);
    const QByteArray check = sha256(sha256(payload)).left(4);
    for (int i = 0; i < 4; ++i) {
        if (static_cast<uint8_t>(check.at(i)) != bytes[static_cast<size_t>(21 + i)])
            return false;
    }
    return true;
}

uint32_t bech32Polymod(const std::vector<uint8_t>& values) {
    static constexpr uint32_t generator[] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    uint32_t chk = 1;
    for (uint8_t v : values) {
        const uint32_t top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v;
        for (int i = 0; i < 5; ++i)
            chk ^= ((top >> i) & 1) ? generator[i] : 0;
    }
    return chk;
}

bool bech32Address(QStringView text) {
    static constexpr char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    if (text.size() < 14 || text.size() > 90)
        return false;
    const QString lower = text.toString().toLower();
    if (lower != text && text.toString().toUpper() != text)
        return false; // mixed case is invalid in Bech32
    if (!lower.startsWith(QLatin1String("bc1")))
        return false;
    std::vector<uint8_t> values = {3, 3, 0, 2, 3}; // hrp "bc" expanded
    std::vector<uint8_t> data;
    for (qsizetype i = 3; i < lower.size(); ++i) {
        const char16_t c = lower.at(i).unicode();
        const char* pos = c < 128 && c != 0 ? std::strchr(charset, static_cast<char>(c)) : nullptr;
        if (!pos)
            return false;
        data.push_back(static_cast<uint8_t>(pos - charset));
    }
    if (data.size() < 7)
        return false;
    values.insert(values.end(), data.begin(), data.end());
    const uint32_t polymod = bech32Polymod(values);
    const uint8_t witnessVersion = data.front();
    // BIP-350: version 0 uses Bech32 (constant 1), versions 1-16 use Bech32m.
    if (witnessVersion == 0)
        return polymod == 1;
    return witnessVersion <= 16 && polymod == 0x2bc830a3;
}

// Four decimal numbers 0-255 without leading zeros, joined by '.': QHostAddress reads every such
// address (and the ipv4 rule matches only such).
bool isPlainDottedQuad(QStringView address) {
    int parts = 0;
    qsizetype i = 0;
    const qsizetype n = address.size();
    while (i < n) {
        int value = 0;
        qsizetype digits = 0;
        for (; i < n && isDigit(address[i]); ++i, ++digits) {
            value = value * 10 + (address[i].unicode() - u'0');
            if (digits >= 3)
                return false;
        }
        if (digits == 0 || value > 255 || (digits > 1 && address[i - digits] == u'0'))
            return false;
        ++parts;
        if (i < n) {
            if (address[i] != u'.' || i + 1 == n)
                return false;
            ++i;
        }
    }
    return parts == 4;
}

// p = count / n and std::log2(p) for a character count in a value of n characters. Every secret
// candidate's entropy is computed; for values up to kShareTable characters both come from a table
// (filled once, read-only after: safe from any thread) instead of a division and a libm call.
constexpr qsizetype kShareTable = 128;

struct Share {
    double p;
    double log2p;
};

// The row of shares for values of n characters (row[count]), or nullptr when n > kShareTable.
const Share* sharesFor(qsizetype n) {
    static const std::vector<Share> table = [] {
        std::vector<Share> values(static_cast<size_t>((kShareTable + 1) * (kShareTable + 2) / 2));
        for (qsizetype size = 1; size <= kShareTable; ++size) {
            for (int k = 1; k <= size; ++k) {
                const double p = k / static_cast<double>(size);
                values[static_cast<size_t>(size * (size + 1) / 2 + k)] = {p, std::log2(p)};
            }
        }
        return values;
    }();
    return n <= kShareTable ? table.data() + n * (n + 1) / 2 : nullptr;
}

// A run of one character over two thirds of the value ("AKIAXXXXXXXXXXXXXXXX", "aaaaaaa").
bool hasDominantRun(QStringView value) {
    int longestRun = 1;
    int run = 1;
    for (qsizetype i = 1; i < value.size(); ++i) {
        run = value.at(i) == value.at(i - 1) ? run + 1 : 1;
        longestRun = std::max(longestRun, run);
    }
    return longestRun * 3 >= value.size() * 2;
}

bool looksLikeSecretPlaceholderSlow(QStringView value) {
    const QString lower = value.toString().toLower();
    if (lower.endsWith(QLatin1String("example")) || lower.contains(QLatin1String("example")))
        return true;
    static const QStringList literal = {QStringLiteral("true"),     QStringLiteral("false"),
                                        QStringLiteral("null"),     QStringLiteral("none"),
                                        QStringLiteral("redacted"), QStringLiteral("changeme"),
                                        QStringLiteral("password"), QStringLiteral("undefined")};
    if (literal.contains(lower))
        return true;
    if (lower.contains(QLatin1String("abcdefghijklmnopqrstuvwxyz")) ||
        lower.contains(QLatin1String("0123456789abcdef")) || lower.contains(QLatin1String("xxxx")) ||
        lower.contains(QLatin1String("****")) || lower.contains(QLatin1String("...")) ||
        lower.contains(QLatin1String("your_")) || lower.contains(QLatin1String("your-")) ||
        lower.contains(QLatin1String("<")) || lower.contains(QLatin1String("${")) ||
        lower.contains(QLatin1String("{{")) || lower.contains(QLatin1String("$(")) ||
        lower.startsWith(QLatin1Char('$')) || lower.contains(QLatin1String("%s")) ||
        lower.startsWith(QLatin1String("/usr/")) || lower.startsWith(QLatin1String("/etc/")))
        return true;
    return hasDominantRun(value);
}

} // namespace

bool Validators::luhn(QStringView text) {
    int digits = 0;
    int sum = 0;
    for (qsizetype i = text.size() - 1; i >= 0; --i) {
        const QChar c = text.at(i);
        if (c == u' ' || c == u'-')
            continue;
        if (!isDigit(c))
            return false;
        int d = c.unicode() - u'0';
        if (digits % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        ++digits;
    }
    return digits >= 12 && digits <= 19 && sum % 10 == 0;
}

bool Validators::iban(QStringView text) {
    // Every candidate IBAN is checked (and checked again without a trailing group): no allocation.
    QVarLengthArray<char16_t, 64> compact;
    for (QChar c : text) {
        if (c == u' ' || c == u'-')
            continue;
        if (!(isDigit(c) || (c >= u'A' && c <= u'Z')))
            return false;
        compact.append(c.unicode());
    }
    const qsizetype size = compact.size();
    if (size < 15 || !isDigit(QChar(compact[2])) || !isDigit(QChar(compact[3])))
        return false;
    if (ibanLength(QStringView(compact.constData(), 2)) != size)
        return false;
    // The first four characters move to the end.
    int remainder = 0;
    for (qsizetype k = 0; k < size; ++k) {
        const char16_t c = compact[(k + 4) % size];
        const int value = isDigit(QChar(c)) ? c - u'0' : c - u'A' + 10;
        remainder = (remainder * (value >= 10 ? 100 : 10) + value) % 97;
    }
    return remainder == 1;
}

bool Validators::usSsn(QStringView text) {
    char digits[10];
    int count = 0;
    QChar delimiter;
    for (QChar c : text) {
        if (isDigit(c)) {
            if (count == 9)
                return false; // more than nine digits
            digits[count++] = static_cast<char>(c.unicode());
            continue;
        }
        if (!delimiter.isNull() && c != delimiter)
            return false; // mixed delimiters: "693-09.4444"
        delimiter = c;
    }
    if (count != 9)
        return false;
    const std::string_view number(digits, 9);
    if (number.find_first_not_of(digits[0]) == std::string_view::npos)
        return false; // all one digit
    const int area = (digits[0] - '0') * 100 + (digits[1] - '0') * 10 + (digits[2] - '0');
    if (area == 0 || area == 666 || area >= 900)
        return false;
    if (number.substr(3, 2) == "00" || number.substr(5) == "0000")
        return false;
    return number != "123456789" && number != "078051120";
}

bool Validators::ipAddress(QStringView text) {
    QStringView address = text;
    const qsizetype slash = address.indexOf(u'/');
    if (slash >= 0)
        address = address.left(slash);
    // QHostAddress accepts shorthand IPv4 such as "10.1"; the rule's regex already demands a
    // full quad, and a plain number is never an address here.
    if (!address.contains(u':') && address.count(u'.') != 3)
        return false;
    if (isPlainDottedQuad(address))
        return true; // what QHostAddress accepts, without building a QString
    QHostAddress parsed;
    return parsed.setAddress(address.toString());
}

bool Validators::macAddress(QStringView text) {
    // ASCII (all the rules' matches): the same test without building a string.
    char ascii[13];
    int count = 0;
    bool nonAscii = false;
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (u >= 128) {
            nonAscii = true;
            break;
        }
        if (!((u >= u'0' && u <= u'9') || ((u | 0x20) >= u'a' && (u | 0x20) <= u'z')))
            continue;
        if (count == 12)
            return false;
        ascii[count++] = static_cast<char>(u >= u'a' && u <= u'z' ? u - 32 : u);
    }
    if (!nonAscii) {
        const std::string_view hex(ascii, static_cast<size_t>(count));
        return count == 12 && hex != "000000000000" && hex != "FFFFFFFFFFFF";
    }
    QString hex;
    for (QChar c : text) {
        if (c.isLetterOrNumber())
            hex.append(c.toUpper());
    }
    if (hex.size() != 12)
        return false;
    return hex != QLatin1String("000000000000") && hex != QLatin1String("FFFFFFFFFFFF");
}

bool Validators::bitcoinAddress(QStringView text) {
    if (text.startsWith(u"bc1", Qt::CaseInsensitive))
        return bech32Address(text);
    return base58Check(text);
}

namespace {

// How often each character occurs in a value.
struct CharacterCounts {
    std::array<int, 128> ascii{};
    uint64_t seen[2] = {0, 0}; // which ASCII characters occur, to visit only those, in order
    int other = 0;             // non-ASCII characters
    int most = 0;              // the count of the most frequent ASCII character

    explicit CharacterCounts(QStringView text) {
        for (QChar c : text) {
            const char16_t u = c.unicode();
            if (u < 128) {
                most = std::max(most, ++ascii[u]);
                seen[u >> 6] |= uint64_t(1) << (u & 63);
            } else {
                ++other;
            }
        }
        most = std::max(most, other);
    }
};

double entropyOf(const CharacterCounts& counts, qsizetype n) {
    // Summed in character order, then the non-ASCII ones: the order (and so the rounding) of a sum
    // over all 128 counts.
    double entropy = 0.0;
    const Share* row = sharesFor(n);
    auto add = [&](int count) {
        if (count > 0) {
            Share share;
            if (row) {
                share = row[count];
            } else {
                share.p = count / static_cast<double>(n);
                share.log2p = std::log2(share.p);
            }
            entropy -= share.p * share.log2p;
        }
    };
    for (int half = 0; half < 2; ++half) {
        for (uint64_t bits = counts.seen[half]; bits; bits &= bits - 1)
            add(counts.ascii[static_cast<size_t>(half * 64 + std::countr_zero(bits))]);
    }
    add(counts.other);
    return entropy;
}

} // namespace

double Validators::shannonEntropy(QStringView text) {
    if (text.isEmpty())
        return 0.0;
    return entropyOf(CharacterCounts(text), text.size());
}

bool Validators::entropyBelow(QStringView text, double threshold) {
    if (text.isEmpty())
        return 0.0 < threshold;
    const CharacterCounts counts(text);
    // Shannon entropy is at least the min-entropy -log2(most / n). When that exceeds the threshold
    // by a margin far beyond the rounding of the sum, the sum cannot come out below it: most
    // secrets (random tokens) are decided without a logarithm.
    const double n = static_cast<double>(text.size());
    if (threshold > 0.0 && counts.most <= n * std::exp2(-threshold) * (1.0 - 1e-9))
        return false;
    return entropyOf(counts, text.size()) < threshold;
}

bool Validators::looksLikeSecretPlaceholder(QStringView value) {
    if (value.size() < 4)
        return true;
    // Every secret candidate is checked, so ASCII values (all of them, in practice) are folded into
    // a byte buffer once and searched with memchr-based finds instead of a QString per needle.
    // Non-ASCII values keep the QString path: Unicode lower-casing can map some of them to ASCII
    // (KELVIN SIGN -> 'k').
    QVarLengthArray<char, 256> folded(value.size());
    uint64_t present[2] = {0, 0}; // which (folded) characters occur
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char16_t c = value.at(i).unicode();
        if (c >= 128)
            return looksLikeSecretPlaceholderSlow(value);
        const char f = static_cast<char>(c >= u'A' && c <= u'Z' ? c + 32 : c);
        folded[i] = f;
        present[f >> 6] |= uint64_t(1) << (f & 63);
    }
    auto occurs = [&](char c) { return (present[c >> 6] >> (c & 63)) & 1; };
    const std::string_view lower(folded.constData(), static_cast<size_t>(folded.size()));
    static constexpr std::string_view literal[] = {"true",     "false",    "null",     "none",
                                                   "redacted", "changeme", "password", "undefined"};
    for (std::string_view word : literal) {
        if (lower == word)
            return true;
    }
    static constexpr std::string_view inside[] = {"example",
                                                  "abcdefghijklmnopqrstuvwxyz",
                                                  "0123456789abcdef",
                                                  "xxxx",
                                                  "****",
                                                  "...",
                                                  "your_",
                                                  "your-",
                                                  "<",
                                                  "${",
                                                  "{{",
                                                  "$(",
                                                  "%s"};
    for (std::string_view needle : inside) {
        if (occurs(needle.front()) && lower.find(needle) != std::string_view::npos)
            return true;
    }
    if (lower.starts_with('$') || lower.starts_with("/usr/") || lower.starts_with("/etc/"))
        return true;
    return hasDominantRun(value);
}

} // namespace parallax
