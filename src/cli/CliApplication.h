#pragma once

#include <QObject>
#include <QStringList>

namespace parallax::cli {

class GenerationCommand;

/// `parallax-cli`: reads the subcommand, runs it on the event loop, and ends the process with the exit
/// status of PRODUCT.md's contract. Errors are one line on stderr, never a stack trace.
class CliApplication : public QObject {
    Q_OBJECT
public:
    explicit CliApplication(QObject* parent = nullptr);

    /// Starts the command; `finished(exitCode)` follows (possibly before this returns, via the event loop).
    void start(const QStringList& arguments);

    static QString usageText();

signals:
    void finished(int exitCode);

private:
    void finishLater(int exitCode);
    void fail(const QString& message, int exitCode);

    GenerationCommand* m_generation = nullptr;
};

} // namespace parallax::cli
