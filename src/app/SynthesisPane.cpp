#include "SynthesisPane.h"

#include "app/ColumnPalette.h"
#include "app/ErrorHint.h"
#include "engine/AgreementMatrix.h"
#include "engine/CompareSession.h"
#include "engine/SynthesisPrompt.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextDocumentFragment>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace parallax {

namespace {
const QString synthesizerKey = QStringLiteral("synthesis/profile");
constexpr int renderIntervalMs = 50;
} // namespace

SynthesisPane::SynthesisPane(QWidget* parent)
    : QFrame(parent)
    , m_chosen(QSettings().value(synthesizerKey).toString())
    , m_agreementWatcher(new QFutureWatcher<Agreement>(this)) {
    setObjectName(QStringLiteral("synthesisPane"));
    setFrameShape(QFrame::StyledPanel);

    auto* title = new QLabel(tr("<b>Synthesis</b>"), this);
    m_combo = new QComboBox(this);
    m_combo->setObjectName(QStringLiteral("synthesizerCombo"));
    m_combo->setToolTip(tr("Once every answer is in, this profile combines them into one answer that cites "
                           "them as [A], [B], … in the columns' colours"));
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_combo, &QComboBox::activated, this, [this] {
        m_chosen = synthesizer();
        QSettings().setValue(synthesizerKey, m_chosen);
    });
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("synthesisStatus"));
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_legend = new QLabel(this);
    m_legend->setObjectName(QStringLiteral("synthesisLegend"));
    m_heatMap = new AgreementHeatMap(this);
    m_heatMap->setVisible(false);
    auto* agreementLabel = new QLabel(tr("agreement"), this);
    agreementLabel->setObjectName(QStringLiteral("agreementLabel"));
    agreementLabel->setForegroundRole(QPalette::PlaceholderText);
    agreementLabel->setToolTip(m_heatMap->whatsThis());
    agreementLabel->setVisible(false);
    connect(this, &SynthesisPane::agreementShown, agreementLabel,
            [this, agreementLabel] { agreementLabel->setVisible(m_heatMap->isVisibleTo(this)); });

    auto* header = new QHBoxLayout;
    header->setSpacing(6);
    header->addWidget(title);
    header->addWidget(m_combo);
    header->addWidget(m_status);
    header->addWidget(m_legend, 1);
    header->addWidget(agreementLabel, 0, Qt::AlignTop);
    header->addWidget(m_heatMap, 0, Qt::AlignTop);

    m_body = new QTextBrowser(this);
    m_body->setObjectName(QStringLiteral("synthesisBody"));
    m_body->setOpenExternalLinks(true);
    m_body->setFrameShape(QFrame::NoFrame);
    m_body->setMinimumHeight(60);
    m_body->setVisible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(4);
    layout->addLayout(header);
    layout->addWidget(m_body, 1);

    m_renderTimer.setSingleShot(true);
    m_renderTimer.setInterval(renderIntervalMs);
    connect(&m_renderTimer, &QTimer::timeout, this, &SynthesisPane::render);
    connect(m_agreementWatcher, &QFutureWatcher<Agreement>::finished, this,
            &SynthesisPane::onAgreementComputed);
    setProfiles({});
}

SynthesisPane::~SynthesisPane() {
    // The job only reads its own copies: it may finish unobserved (closing never waits for it), and the
    // watcher, our child, is disconnected first so no result reaches a half-destroyed object.
    m_agreementWatcher->disconnect(this);
}

void SynthesisPane::setProfiles(const QStringList& names) {
    m_combo->clear();
    m_combo->addItem(tr("none"), QString());
    for (const QString& name : names)
        m_combo->addItem(name, name);
    // A chosen profile that is gone (renamed, not loaded yet) shows as none but stays chosen.
    const int index = m_combo->findData(m_chosen);
    m_combo->setCurrentIndex(index >= 0 ? index : 0);
}

QString SynthesisPane::synthesizer() const {
    return m_combo->currentData().toString();
}

void SynthesisPane::setSynthesizer(const QString& name) {
    const int index = m_combo->findData(name);
    m_combo->setCurrentIndex(index >= 0 ? index : 0);
    m_chosen = synthesizer();
    QSettings().setValue(synthesizerKey, m_chosen);
}

QString SynthesisPane::statusText() const {
    return QTextDocumentFragment::fromHtml(m_status->text()).toPlainText();
}

void SynthesisPane::reset(bool expectSynthesis) {
    m_renderTimer.stop();
    m_text.clear();
    m_labelColours.clear();
    m_legend->clear();
    m_body->clear();
    m_body->setVisible(expectSynthesis);
    m_status->setText(expectSynthesis
                          ? tr("by %1 — waiting for every answer").arg(synthesizer().toHtmlEscaped())
                          : QString());
    m_heatMap->clear();
    m_heatMap->setVisible(false);
    emit agreementShown();
}

void SynthesisPane::follow(CompareSession* session, const QList<int>& columns) {
    connect(session, &CompareSession::synthesisStarted, this, [this, session, columns] {
        // The session labels the answers it could use, in column order, by the profile that answered;
        // walking the columns in the same order finds each label's column.
        QStringList legend;
        int column = 0;
        for (const auto& [label, profile] : session->synthesisLabels()) {
            while (column < session->size() && session->answer(column).profile != profile)
                ++column;
            legend.append(legendEntry(label, profile, columns.value(column, column)));
            ++column;
        }
        m_legend->setText(legend.join(QStringLiteral(" · ")));
        m_status->setText(tr("by %1 — streaming").arg(synthesizer().toHtmlEscaped()));
    });
    connect(session, &CompareSession::synthesisDelta, this, [this](const StreamDelta& delta) {
        if (delta.channel != StreamDelta::Channel::Answer || delta.text.isEmpty())
            return;
        m_text += delta.text;
        if (!m_renderTimer.isActive())
            m_renderTimer.start();
    });
    connect(session, &CompareSession::finished, this, [this, session] {
        const std::optional<Answer> synthesis = session->synthesis();
        if (!synthesis) {
            // Never sent: either nothing was there to combine, or the comparison was cancelled first.
            bool anyAnswer = false;
            for (const Answer& answer : session->answers())
                anyAnswer = anyAnswer || (answer.succeeded() && !answer.text.trimmed().isEmpty());
            m_status->setText(anyAnswer ? tr("not sent: the comparison was cancelled")
                                        : tr("not sent: no answer succeeded"));
        } else {
            if (!synthesis->text.isEmpty())
                m_text = synthesis->text; // the finished answer is authoritative
            if (synthesis->error && synthesis->error->type == ErrorType::Cancelled)
                m_status->setText(tr("by %1 — cancelled").arg(synthesis->profile.toHtmlEscaped()));
            else if (synthesis->error)
                m_status->setText(
                    QStringLiteral("<span style=\"color:#c0392b\">%1</span>")
                        .arg(ErrorHint::sentence(*synthesis->error, synthesis->profile).toHtmlEscaped()));
            else
                m_status->setText(tr("by %1 — done").arg(synthesis->profile.toHtmlEscaped()));
        }
        m_renderTimer.stop();
        render();
        emit synthesisFinished();
    });
}

QString SynthesisPane::legendEntry(const QString& label, const QString& profile, int column) {
    const QColor colour = ColumnPalette::colour(column);
    m_labelColours.insert(label, colour);
    return QStringLiteral("<span style=\"color:%1\"><b>[%2]</b> %3</span>")
        .arg(colour.name(), label, profile.toHtmlEscaped());
}

void SynthesisPane::showStored(const Answer& synthesis, const QList<Answer>& answers) {
    reset(true);
    QStringList legend;
    int labels = 0;
    for (qsizetype column = 0; column < answers.size(); ++column) {
        const Answer& answer = answers.at(column);
        if (answer.succeeded() && !answer.text.trimmed().isEmpty())
            legend.append(legendEntry(SynthesisPrompt::label(labels++), answer.profile, int(column)));
    }
    m_legend->setText(legend.join(QStringLiteral(" · ")));
    m_text = synthesis.text;
    m_status->setText(synthesis.error
                          ? QStringLiteral("<span style=\"color:#c0392b\">%1</span>")
                                .arg(ErrorHint::sentence(*synthesis.error, synthesis.profile).toHtmlEscaped())
                          : tr("by %1 — from the history").arg(synthesis.profile.toHtmlEscaped()));
    render();
}

void SynthesisPane::render() {
    QScrollBar* bar = m_body->verticalScrollBar();
    const bool follow = bar->value() >= bar->maximum() - 4;
    const int position = bar->value();
    m_body->setMarkdown(m_text);
    // Citations take the colour of the column they cite.
    static const QRegularExpression citation(QStringLiteral("\\[([A-Z]{1,2})\\]"));
    QTextDocument* document = m_body->document();
    for (QTextCursor found = document->find(citation); !found.isNull();
         found = document->find(citation, found)) {
        const QString label = found.selectedText().mid(1, found.selectedText().size() - 2);
        const auto colour = m_labelColours.constFind(label);
        if (colour == m_labelColours.constEnd())
            continue;
        QTextCharFormat format;
        format.setForeground(*colour);
        format.setFontWeight(QFont::Bold);
        found.mergeCharFormat(format);
    }
    bar->setValue(follow ? bar->maximum() : position);
}

void SynthesisPane::showAgreement(const QStringList& profiles, const QList<std::optional<QString>>& texts) {
    // A newer request replaces the one being computed: the watcher forgets the older future.
    m_agreementWatcher->setFuture(QtConcurrent::run([profiles, texts] {
        return Agreement{profiles, AgreementMatrix::compute(texts)};
    }));
}

void SynthesisPane::onAgreementComputed() {
    const Agreement agreement = m_agreementWatcher->result();
    m_heatMap->setMatrix(agreement.first, agreement.second);
    m_heatMap->setVisible(agreement.first.size() >= 2); // one answer agrees with itself: nothing to show
    emit agreementShown();
}

} // namespace parallax
