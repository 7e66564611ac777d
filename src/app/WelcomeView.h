#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QPushButton;

namespace parallax {

/// The empty state on first start: what Parallax is, and two ways in — add a real provider key, or try
/// local demo providers (the bundled simulator, and a local Ollama when one answers).
class WelcomeView : public QWidget {
    Q_OBJECT
public:
    explicit WelcomeView(QWidget* parent = nullptr);

    void setDemoStarting(bool starting);
    void setDemoError(const QString& message);
    void setOllamaModels(const QStringList& models);

signals:
    void addProviderRequested();
    void demoRequested();
    void ollamaRequested(const QString& model);

private:
    QPushButton* m_demoButton;
    QPushButton* m_ollamaButton;
    QLabel* m_status;
    QString m_ollamaModel;
};

} // namespace parallax
