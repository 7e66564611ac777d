#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>

namespace parallax::mock {

/// A multipart/form-data body (RFC 7578) as the OpenAI file upload sends it, split into its parts.
class MultipartForm {
public:
    struct Part {
        QString name;
        QString fileName; ///< empty for a plain field
        QByteArray contentType;
        QByteArray data;
    };

    /// Parses `body` with the boundary from `contentType`; empty when the body is not valid multipart.
    static std::optional<MultipartForm> parse(const QByteArray& contentType, const QByteArray& body);

    const QList<Part>& parts() const { return m_parts; }
    const Part* part(const QString& name) const;

private:
    QList<Part> m_parts;
};

} // namespace parallax::mock
