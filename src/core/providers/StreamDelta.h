#pragma once

#include <QString>

namespace parallax {

/// A piece of streamed output as it arrives.
struct StreamDelta {
    enum class Channel { Answer, Thinking };
    Channel channel = Channel::Answer;
    QString text;
};

} // namespace parallax
