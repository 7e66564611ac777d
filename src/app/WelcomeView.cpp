#include "WelcomeView.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace parallax {

WelcomeView::WelcomeView(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("welcomeView"));
    auto* title = new QLabel(tr("<h1 style=\"font-weight:600\">Parallax</h1>"), this);
    title->setAlignment(Qt::AlignCenter);
    auto* text = new QLabel(
        tr("<p>Send one prompt to several language models at once and compare the answers side by side, "
           "with time to first token, speed, tokens and cost.</p>"
           "<p>Personal data and secrets in your prompt are masked before anything leaves this machine; "
           "the answers show the real values again.</p>"),
        this);
    text->setObjectName(QStringLiteral("welcomeLabel"));
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    text->setFixedWidth(560); // a fixed width lets the wrapped label report its real height

    auto* addButton = new QPushButton(tr("Add a provider key…"), this);
    addButton->setObjectName(QStringLiteral("addProviderButton"));
    m_demoButton = new QPushButton(tr("Try it with local demo providers"), this);
    m_demoButton->setObjectName(QStringLiteral("demoButton"));
    m_demoButton->setDefault(true);
    m_demoButton->setToolTip(tr("Starts a local simulator of the OpenAI, Anthropic and Gemini APIs on this "
                                "machine. No account or key needed; nothing is sent anywhere."));
    m_ollamaButton = new QPushButton(this);
    m_ollamaButton->setObjectName(QStringLiteral("ollamaButton"));
    m_ollamaButton->setVisible(false);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("welcomeStatus"));
    m_status->setWordWrap(true);
    m_status->setAlignment(Qt::AlignCenter);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_status->setFixedWidth(560);

    connect(addButton, &QPushButton::clicked, this, &WelcomeView::addProviderRequested);
    connect(m_demoButton, &QPushButton::clicked, this, &WelcomeView::demoRequested);
    connect(m_ollamaButton, &QPushButton::clicked, this, [this] { emit ollamaRequested(m_ollamaModel); });

    auto* layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(title);
    // Centred by stretches, not by an alignment flag: an aligned widget gets its size hint, which for a
    // wrapped label is too short; this way the layout asks heightForWidth and shows every line.
    auto centred = [layout](QWidget* widget) {
        auto* row = new QHBoxLayout;
        row->addStretch(1);
        row->addWidget(widget);
        row->addStretch(1);
        layout->addLayout(row);
    };
    centred(text);
    layout->addSpacing(16);
    for (QPushButton* button : {m_demoButton, addButton, m_ollamaButton}) {
        button->setMinimumWidth(300);
        layout->addWidget(button, 0, Qt::AlignHCenter);
    }
    centred(m_status);
    layout->addStretch(3);
}

void WelcomeView::setDemoStarting(bool starting) {
    m_demoButton->setEnabled(!starting);
    m_status->setText(starting ? tr("Starting the local simulator…") : QString());
}

void WelcomeView::setDemoError(const QString& message) {
    m_demoButton->setEnabled(true);
    m_status->setText(message);
}

void WelcomeView::setOllamaModels(const QStringList& models) {
    if (models.isEmpty())
        return;
    m_ollamaModel = models.first();
    m_ollamaButton->setText(tr("Use your local Ollama (%1)").arg(m_ollamaModel));
    m_ollamaButton->setToolTip(
        tr("Ollama answers on 127.0.0.1:11434 with %n model(s).", nullptr, int(models.size())));
    m_ollamaButton->setVisible(true);
}

} // namespace parallax
