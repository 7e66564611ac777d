#pragma once

#include <QByteArrayView>
#include <QString>

#include <vector>

namespace parallax {

/// A small, strict JSON reader for the per-chunk hot path of streamed answers. It accepts exactly
/// what QJsonDocument::fromJson accepts for an object or array (TestJsonTree compares the two on
/// generated and mutated input) and answers the same for the value accessors the stream parsers use
/// (`toString()` of a number is empty, `toInteger()` of 1.5 is the default, the last of duplicate
/// keys wins), but it only records where each value lies in the text and decodes strings when asked.
///
/// Why: QJsonDocument builds, sorts and converts a whole tree for every chunk; with dozens of chunks
/// per answer that cost more than everything else the client does per request.
///
/// The tree refers to the parsed text, which must outlive it.
class JsonTree {
public:
    enum class Type : quint8 { Undefined, Null, Bool, Number, String, Array, Object };

    class Value {
    public:
        Value() = default;

        Type type() const { return m_tree ? m_tree->m_nodes[m_index].type : Type::Undefined; }
        bool isUndefined() const { return type() == Type::Undefined; }
        bool isNull() const { return type() == Type::Null; }
        bool isBool() const { return type() == Type::Bool; }
        bool isNumber() const { return type() == Type::Number; }
        bool isString() const { return type() == Type::String; }
        bool isArray() const { return type() == Type::Array; }
        bool isObject() const { return type() == Type::Object; }

        /// The member's value (the last one when a key repeats); undefined when absent or not an object.
        Value operator[](QLatin1StringView key) const;
        bool contains(QLatin1StringView key) const { return !(*this)[key].isUndefined(); }

        /// Elements of an array or member values of an object: first child, then each next sibling.
        Value firstChild() const;
        Value nextSibling() const;
        /// For a member value: its key, decoded.
        QString key() const;

        QString toString() const; ///< decoded text of a string; empty for anything else
        /// True when this is a string equal to text (compared without decoding when possible).
        bool equals(QLatin1StringView text) const;
        qint64 toInteger(qint64 defaultValue = 0) const; ///< integral numbers only, as QJsonValue
        int toInt(int defaultValue = 0) const;
        double toDouble(double defaultValue = 0) const;
        bool toBool(bool defaultValue = false) const;

        /// The value's own text in the document (e.g. to hand a rare shape to QJsonDocument).
        QByteArrayView text() const;
        /// For a member value: the member's text, from its key's opening quote to the value's end.
        QByteArrayView memberText() const;

    private:
        friend class JsonTree;
        Value(const JsonTree* tree, qint32 index)
            : m_tree(tree)
            , m_index(index) {}

        const JsonTree* m_tree = nullptr;
        qint32 m_index = 0;
    };

    /// Parses json; false (and an undefined root) when it is not valid JSON with an object or array
    /// at the top.
    bool parse(QByteArrayView json);
    Value root() const { return m_nodes.empty() ? Value() : Value(this, 0); }

private:
    struct Node {
        Type type = Type::Undefined;
        bool escaped = false;    // a string value containing backslash escapes
        bool keyEscaped = false; // the member name contains escapes
        bool flag = false;       // Bool: its value; Number: integral (stored in integer)
        qint32 nextSibling = -1;
        qint32 firstChild = -1;
        qint32 keyBegin = 0;
        qint32 keyLength = 0;
        qint32 begin = 0; // the value's text (strings without their quotes)
        qint32 length = 0;
        qint64 integer = 0;
        double number = 0;
    };

    class Parser;
    static QString decode(QByteArrayView raw, bool escaped);

    QByteArrayView m_text;
    std::vector<Node> m_nodes;
};

} // namespace parallax
