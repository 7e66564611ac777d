#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace parallax {

struct ChatMessage {
    enum class Role { User, Assistant };
    Role role = Role::User;
    QString content;
};

/// What the user asks, independent of any provider's wire format.
struct ChatRequest {
    QString system;
    QList<ChatMessage> messages;
    std::optional<int> maxTokens;
    std::optional<double> temperature;
};

} // namespace parallax
