#include "JsonTree.h"

#include <charconv>
#include <cmath>

namespace parallax {

namespace {
constexpr int kMaxDepth = 1024; // QJsonDocument's nesting limit

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Length of the well-formed UTF-8 sequence starting at p (lead byte >= 0x80), or 0 (RFC 3629: no
// overlong forms, no encoded surrogates, nothing above U+10FFFF).
int utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
    const unsigned char lead = p[0];
    int length = 0;
    char32_t code = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        code = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        code = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        code = lead & 0x07;
    } else {
        return 0;
    }
    if (end - p < length)
        return 0;
    for (int i = 1; i < length; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        code = (code << 6) | (p[i] & 0x3F);
    }
    if ((length == 3 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF))) ||
        (length == 4 && (code < 0x10000 || code > 0x10FFFF)))
        return 0;
    return length;
}
} // namespace

class JsonTree::Parser {
public:
    Parser(QByteArrayView text, std::vector<Node>& nodes)
        : m_begin(text.data())
        , m_p(text.data())
        , m_end(text.data() + text.size())
        , m_nodes(nodes) {}

    bool parseDocument() {
        if (m_end - m_p >= 3 && QByteArrayView(m_p, 3) == QByteArrayView("\xef\xbb\xbf"))
            m_p += 3; // a UTF-8 byte order mark, skipped as QJsonDocument does
        skipSpace();
        if (m_p == m_end || (*m_p != '{' && *m_p != '['))
            return false;
        if (!parseValue(0))
            return false;
        skipSpace();
        return m_p == m_end;
    }

private:
    void skipSpace() {
        while (m_p < m_end && isSpace(*m_p))
            ++m_p;
    }

    qint32 offset(const char* p) const { return qint32(p - m_begin); }

    qint32 newNode(Type type) {
        m_nodes.push_back(Node{});
        m_nodes.back().type = type;
        return qint32(m_nodes.size() - 1);
    }

    bool parseValue(int depth) {
        if (m_p == m_end)
            return false;
        switch (*m_p) {
        case '{':
            return parseContainer(Type::Object, '}', depth);
        case '[':
            return parseContainer(Type::Array, ']', depth);
        case '"': {
            const qint32 index = newNode(Type::String);
            const char* begin = m_p + 1;
            bool escaped = false;
            if (!scanString(escaped))
                return false;
            Node& node = m_nodes[index];
            node.begin = offset(begin);
            node.length = qint32(m_p - 1 - begin);
            node.escaped = escaped;
            return true;
        }
        case 't':
            return parseLiteral("true", Type::Bool, true);
        case 'f':
            return parseLiteral("false", Type::Bool, false);
        case 'n':
            return parseLiteral("null", Type::Null, false);
        default:
            return parseNumber();
        }
    }

    bool parseLiteral(const char* word, Type type, bool flag) {
        const qsizetype length = qsizetype(std::char_traits<char>::length(word));
        if (m_end - m_p < length || QByteArrayView(m_p, length) != QByteArrayView(word, length))
            return false;
        const qint32 index = newNode(type);
        m_nodes[index].flag = flag;
        m_nodes[index].begin = offset(m_p);
        m_nodes[index].length = qint32(length);
        m_p += length;
        return true;
    }

    // QJsonDocument's number rules, which are looser than RFC 8259: "1." and ".5" are numbers (the
    // text only has to read as a double as a whole), "01" and "+1" are not.
    bool parseNumber() {
        const char* begin = m_p;
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        if (m_p < m_end && *m_p == '0')
            ++m_p;
        else
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        bool integral = true;
        if (m_p < m_end && *m_p == '.') {
            integral = false;
            ++m_p;
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            integral = false;
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        if (m_p == begin)
            return false;
        const qint32 index = newNode(Type::Number);
        Node& node = m_nodes[index];
        node.begin = offset(begin);
        node.length = qint32(m_p - begin);
        if (integral) {
            qint64 value = 0;
            const auto [end, error] = std::from_chars(begin, m_p, value);
            if (error == std::errc() && end == m_p) {
                node.flag = true;
                node.integer = value;
                node.number = double(value);
                return true;
            }
        }
        double value = 0;
        const auto [end, error] = std::from_chars(begin, m_p, value);
        if (error != std::errc() || end != m_p || !std::isfinite(value))
            return false; // not a number, or one a double cannot hold: QJsonDocument refuses both
        node.number = value;
        return true;
    }

    // m_p is at the opening quote; leaves m_p after the closing one.
    bool scanString(bool& escaped) {
        ++m_p;
        while (m_p < m_end) {
            const unsigned char c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                ++m_p;
                return true;
            }
            if (c == '\\') {
                escaped = true;
                if (m_end - m_p < 2)
                    return false;
                switch (m_p[1]) {
                case '"':
                case '\\':
                case '/':
                case 'b':
                case 'f':
                case 'n':
                case 'r':
                case 't':
                    m_p += 2;
                    break;
                case 'u':
                    if (m_end - m_p < 6)
                        return false;
                    for (int i = 2; i < 6; ++i)
                        if (hexValue(m_p[i]) < 0)
                            return false;
                    m_p += 6;
                    break;
                default:
                    m_p += 2;
                    break; // QJsonDocument reads an unknown escape as the byte itself
                }
            } else if (c < 0x80) {
                ++m_p;
            } else {
                const int length = utf8SequenceLength(reinterpret_cast<const unsigned char*>(m_p),
                                                      reinterpret_cast<const unsigned char*>(m_end));
                if (length == 0)
                    return false;
                m_p += length;
            }
        }
        return false;
    }

    bool parseContainer(Type type, char close, int depth) {
        if (depth >= kMaxDepth)
            return false;
        const qint32 index = newNode(type);
        m_nodes[index].begin = offset(m_p);
        ++m_p;
        skipSpace();
        qint32 previous = -1;
        if (m_p < m_end && *m_p == close) {
            ++m_p;
            m_nodes[index].length = offset(m_p) - m_nodes[index].begin;
            return true;
        }
        while (true) {
            const char* keyBegin = nullptr;
            const char* keyEnd = nullptr;
            bool keyEscaped = false;
            if (type == Type::Object) {
                if (m_p == m_end || *m_p != '"')
                    return false;
                keyBegin = m_p + 1;
                if (!scanString(keyEscaped))
                    return false;
                keyEnd = m_p - 1;
                skipSpace();
                if (m_p == m_end || *m_p != ':')
                    return false;
                ++m_p;
                skipSpace();
            }
            const qint32 child = qint32(m_nodes.size());
            if (!parseValue(depth + 1))
                return false;
            if (type == Type::Object) {
                m_nodes[child].keyBegin = offset(keyBegin);
                m_nodes[child].keyLength = qint32(keyEnd - keyBegin);
                m_nodes[child].keyEscaped = keyEscaped;
            }
            if (previous < 0)
                m_nodes[index].firstChild = child;
            else
                m_nodes[previous].nextSibling = child;
            previous = child;
            skipSpace();
            if (m_p == m_end)
                return false;
            if (*m_p == ',') {
                ++m_p;
                skipSpace();
                continue;
            }
            if (*m_p != close)
                return false;
            ++m_p;
            m_nodes[index].length = offset(m_p) - m_nodes[index].begin;
            return true;
        }
    }

    const char* m_begin;
    const char* m_p;
    const char* m_end;
    std::vector<Node>& m_nodes;
};

bool JsonTree::parse(QByteArrayView json) {
    m_nodes.clear();
    m_text = json;
    if (json.size() >= std::numeric_limits<qint32>::max())
        return false;
    Parser parser(json, m_nodes);
    if (!parser.parseDocument()) {
        m_nodes.clear();
        return false;
    }
    return true;
}

QString JsonTree::decode(QByteArrayView raw, bool escaped) {
    if (!escaped)
        return QString::fromUtf8(raw);
    QString out;
    out.reserve(raw.size());
    const char* p = raw.data();
    const char* end = p + raw.size();
    while (p < end) {
        const char* run = p;
        while (p < end && *p != '\\')
            ++p;
        if (p > run)
            out += QString::fromUtf8(run, p - run);
        if (p == end)
            break;
        const char code = p[1];
        p += 2;
        switch (code) {
        case 'b':
            out += QChar(u'\b');
            break;
        case 'f':
            out += QChar(u'\f');
            break;
        case 'n':
            out += QChar(u'\n');
            break;
        case 'r':
            out += QChar(u'\r');
            break;
        case 't':
            out += QChar(u'\t');
            break;
        case 'u': {
            char16_t unit = 0;
            for (int i = 0; i < 4; ++i)
                unit = char16_t((unit << 4) | hexValue(p[i]));
            p += 4;
            out += QChar(unit); // surrogate halves pair up as consecutive UTF-16 units
            break;
        }
        default:
            out += QChar(char16_t(uchar(code)));
            break; // " \ / and unknown escapes: the byte
        }
    }
    return out;
}

JsonTree::Value JsonTree::Value::operator[](QLatin1StringView key) const {
    if (!isObject())
        return {};
    const std::vector<Node>& nodes = m_tree->m_nodes;
    // Raw bytes compare equal only for ASCII names; others go through decoding (never on hot paths).
    bool asciiKey = true;
    for (const char c : key)
        asciiKey = asciiKey && uchar(c) < 0x80;
    qint32 found = -1;
    for (qint32 child = nodes[m_index].firstChild; child >= 0; child = nodes[child].nextSibling) {
        const Node& node = nodes[child];
        const bool same =
            node.keyEscaped || !asciiKey
                ? decode(m_tree->m_text.sliced(node.keyBegin, node.keyLength), node.keyEscaped) == key
                : QByteArrayView(m_tree->m_text.data() + node.keyBegin, node.keyLength) ==
                      QByteArrayView(key.data(), key.size());
        if (same)
            found = child; // the last of repeated keys wins, as in QJsonDocument
    }
    return found < 0 ? Value() : Value(m_tree, found);
}

JsonTree::Value JsonTree::Value::firstChild() const {
    if (!isObject() && !isArray())
        return {};
    const qint32 child = m_tree->m_nodes[m_index].firstChild;
    return child < 0 ? Value() : Value(m_tree, child);
}

JsonTree::Value JsonTree::Value::nextSibling() const {
    if (!m_tree)
        return {};
    const qint32 next = m_tree->m_nodes[m_index].nextSibling;
    return next < 0 ? Value() : Value(m_tree, next);
}

QString JsonTree::Value::key() const {
    if (!m_tree)
        return {};
    const Node& node = m_tree->m_nodes[m_index];
    return decode(m_tree->m_text.sliced(node.keyBegin, node.keyLength), node.keyEscaped);
}

QString JsonTree::Value::toString() const {
    if (!isString())
        return {};
    const Node& node = m_tree->m_nodes[m_index];
    return decode(m_tree->m_text.sliced(node.begin, node.length), node.escaped);
}

bool JsonTree::Value::equals(QLatin1StringView text) const {
    if (!isString())
        return false;
    const Node& node = m_tree->m_nodes[m_index];
    if (node.escaped)
        return toString() == text;
    return m_tree->m_text.sliced(node.begin, node.length) == QByteArrayView(text.data(), text.size());
}

qint64 JsonTree::Value::toInteger(qint64 defaultValue) const {
    if (!isNumber())
        return defaultValue;
    const Node& node = m_tree->m_nodes[m_index];
    if (node.flag)
        return node.integer;
    // A double counts when it holds an integer exactly and fits (QJsonValue::toInteger).
    const double value = node.number;
    if (value >= -9223372036854775808.0 && value < 9223372036854775808.0 && std::trunc(value) == value)
        return qint64(value);
    return defaultValue;
}

int JsonTree::Value::toInt(int defaultValue) const {
    if (!isNumber())
        return defaultValue;
    const Node& node = m_tree->m_nodes[m_index];
    if (node.flag)
        return node.integer >= std::numeric_limits<int>::min() &&
                       node.integer <= std::numeric_limits<int>::max()
                   ? int(node.integer)
                   : defaultValue;
    const double value = node.number;
    if (value >= std::numeric_limits<int>::min() && value <= std::numeric_limits<int>::max() &&
        std::trunc(value) == value)
        return int(value);
    return defaultValue;
}

double JsonTree::Value::toDouble(double defaultValue) const {
    return isNumber() ? m_tree->m_nodes[m_index].number : defaultValue;
}

bool JsonTree::Value::toBool(bool defaultValue) const {
    return isBool() ? m_tree->m_nodes[m_index].flag : defaultValue;
}

QByteArrayView JsonTree::Value::text() const {
    if (!m_tree)
        return {};
    const Node& node = m_tree->m_nodes[m_index];
    if (node.type == Type::String)
        return m_tree->m_text.sliced(node.begin - 1, node.length + 2);
    return m_tree->m_text.sliced(node.begin, node.length);
}

QByteArrayView JsonTree::Value::memberText() const {
    if (!m_tree || m_index == 0)
        return {};
    const Node& node = m_tree->m_nodes[m_index];
    const QByteArrayView value = text();
    const qsizetype start = node.keyBegin - 1;
    return m_tree->m_text.sliced(start, value.data() + value.size() - (m_tree->m_text.data() + start));
}

} // namespace parallax
