#include "AnswerGenerator.h"

#include <array>

#include <QRegularExpression>

#include "DeterministicRandom.h"

namespace parallax::mock {

namespace {
constexpr std::array kWords{
    "the",     "model",   "answer",  "stream",   "token",   "signal",  "quiet",    "river",
    "light",   "compare", "local",   "provider", "steady",  "measure", "result",   "simple",
    "clear",   "window",  "latency", "budget",   "careful", "echo",    "mountain", "paper",
    "garden",  "orbit",   "copper",  "velvet",   "harbor",  "lantern", "meadow",   "silver",
    "thunder", "canvas",  "ember",   "falcon",   "glacier", "horizon", "island",   "jasmine",
    "kernel",  "lattice", "marble",  "nectar",   "oak",     "prism",   "quartz",   "ripple",
    "saffron", "timber",  "umbra",   "vertex",   "willow",  "zephyr",  "and",      "of",
    "with",    "for",     "is",      "a",        "in",      "on",      "to",       "bright",
};
} // namespace

quint64 AnswerGenerator::fnv1a(const QByteArray& bytes) {
    quint64 hash = 14695981039346656037ULL;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

QStringList AnswerGenerator::words(const GenerationRequest& request, int count) {
    const QByteArray key =
        request.model.toUtf8() + '\x1f' + request.system.toUtf8() + '\x1f' + request.lastUser.toUtf8();
    DeterministicRandom random(fnv1a(key));
    QStringList out;
    out.reserve(count);
    for (int i = 0; i < count; ++i) {
        QString word = QString::fromLatin1(kWords[random.bounded(static_cast<quint32>(kWords.size()))]);
        if (i == 0)
            word[0] = word[0].toUpper();
        out.append(word);
    }
    if (!out.isEmpty())
        out.last() += QLatin1Char('.');
    return out;
}

int AnswerGenerator::promptTokens(const GenerationRequest& request) {
    static const QRegularExpression whitespace(QStringLiteral("\\s+"));
    qsizetype count = request.system.split(whitespace, Qt::SkipEmptyParts).size();
    for (const QString& text : request.messageTexts)
        count += text.split(whitespace, Qt::SkipEmptyParts).size();
    return static_cast<int>(qMax<qsizetype>(count, 1));
}

} // namespace parallax::mock
