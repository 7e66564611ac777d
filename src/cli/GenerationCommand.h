#pragma once

#include "cli/CliError.h"
#include "cli/GenerationOptions.h"
#include "cli/PlainAnswerPrinter.h"

#include <QObject>

#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace parallax {
class CompareSession;
}

namespace parallax::cli {

/// Runs `run` or `compare`: every profile at once, output streamed (plain) or printed at the end (--json).
class GenerationCommand : public QObject {
    Q_OBJECT
public:
    explicit GenerationCommand(GenerationOptions options, QObject* parent = nullptr);
    ~GenerationCommand() override;

    /// Checks keys and starts the requests; an error here means nothing was sent.
    std::optional<CliError> start();
    void cancel();

signals:
    void done(int exitCode);

private:
    void finish();

    GenerationOptions m_options;
    QNetworkAccessManager* m_network = nullptr;
    CompareSession* m_session = nullptr;
    std::unique_ptr<PlainAnswerPrinter> m_printer;
};

} // namespace parallax::cli
