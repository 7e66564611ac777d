#pragma once

#include <optional>

#include <QString>

namespace parallax::mock {

/// Faults the mock can inject. Status faults answer at once; stream faults strike after about
/// three tokens, so a client has already shown text when things go wrong.
enum class Fault {
    None,
    RateLimited,  // "429"
    ServerError,  // "500"
    Unavailable,  // "503"
    Overloaded,   // "529"
    Unauthorized, // "401"
    BadRequest,   // "400"
    Midstream,    // the protocol's in-stream error event, then a proper end
    Drop,         // TCP connection closed without the terminating chunk
    Stall,        // nothing more is sent; the connection stays open
    Malformed,    // one line of invalid JSON, then the normal end
};

/// Parses a fault name ("429", "midstream", ...; "none" and "" give Fault::None).
std::optional<Fault> parseFault(const QString& name);
QString faultName(Fault fault);
/// HTTP status of a status fault, 0 for stream faults and None.
int faultStatus(Fault fault);

} // namespace parallax::mock
