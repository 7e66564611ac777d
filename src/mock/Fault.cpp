#include "Fault.h"

#include <array>
#include <utility>

namespace parallax::mock {

namespace {
constexpr std::array<std::pair<Fault, const char*>, 11> kNames{{
    {Fault::None, "none"},
    {Fault::RateLimited, "429"},
    {Fault::ServerError, "500"},
    {Fault::Unavailable, "503"},
    {Fault::Overloaded, "529"},
    {Fault::Unauthorized, "401"},
    {Fault::BadRequest, "400"},
    {Fault::Midstream, "midstream"},
    {Fault::Drop, "drop"},
    {Fault::Stall, "stall"},
    {Fault::Malformed, "malformed"},
}};
} // namespace

std::optional<Fault> parseFault(const QString& name) {
    const QString trimmed = name.trimmed().toLower();
    if (trimmed.isEmpty())
        return Fault::None;
    for (const auto& [fault, text] : kNames) {
        if (trimmed == QLatin1String(text))
            return fault;
    }
    return std::nullopt;
}

QString faultName(Fault fault) {
    for (const auto& [candidate, text] : kNames) {
        if (candidate == fault)
            return QString::fromLatin1(text);
    }
    return QStringLiteral("none");
}

int faultStatus(Fault fault) {
    switch (fault) {
    case Fault::RateLimited:
        return 429;
    case Fault::ServerError:
        return 500;
    case Fault::Unavailable:
        return 503;
    case Fault::Overloaded:
        return 529;
    case Fault::Unauthorized:
        return 401;
    case Fault::BadRequest:
        return 400;
    case Fault::None:
    case Fault::Midstream:
    case Fault::Drop:
    case Fault::Stall:
    case Fault::Malformed:
        break;
    }
    return 0;
}

} // namespace parallax::mock
