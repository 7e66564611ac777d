#pragma once

#include "cli/CliError.h"
#include "cli/GenerationOptions.h"
#include "cli/PlainAnswerPrinter.h"

#include <QMap>
#include <QObject>

#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace parallax {
class CompareSession;
class Engine;
struct CompareTarget;
} // namespace parallax

namespace parallax::cli {

/// Runs `run` or `compare` through the engine: every profile at once with its fallback chain, output
/// streamed (plain) or printed at the end (--json), then the optional synthesis.
class GenerationCommand : public QObject {
    Q_OBJECT
public:
    explicit GenerationCommand(GenerationOptions options, QObject* parent = nullptr);
    ~GenerationCommand() override;

    /// Opens the engine, checks keys and starts the requests; an error here means nothing was sent.
    std::optional<CliError> start();
    void cancel();

signals:
    void done(int exitCode);

private:
    void finish();

    GenerationOptions m_options;
    QNetworkAccessManager* m_network = nullptr;
    std::unique_ptr<Engine> m_engine;
    CompareSession* m_session = nullptr;
    std::unique_ptr<PlainAnswerPrinter> m_printer;
    QMap<QString, int> m_redactions; ///< what was replaced before sending, by type
};

} // namespace parallax::cli
