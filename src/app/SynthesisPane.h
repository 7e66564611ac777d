#pragma once

#include "app/AgreementHeatMap.h"
#include "providers/Answer.h"

#include <QFrame>
#include <QFutureWatcher>
#include <QHash>
#include <QTimer>

#include <optional>

class QComboBox;
class QLabel;
class QTextBrowser;

namespace parallax {

class CompareSession;

/// Below the answers: the synthesizer chooser, the synthesis streaming in as Markdown with its
/// citations ([A], [B], …) in the colours of the columns they cite, and the agreement heat map. The
/// engine does the synthesis (CompareSession sends it once every answer is in); this pane shows it.
class SynthesisPane : public QFrame {
    Q_OBJECT
public:
    explicit SynthesisPane(QWidget* parent = nullptr);
    ~SynthesisPane() override;

    /// The profiles one can synthesize with; the choice survives when its profile still exists, and
    /// between runs of the app.
    void setProfiles(const QStringList& names);
    /// The chosen synthesizer's profile name; empty: no synthesis.
    QString synthesizer() const;
    void setSynthesizer(const QString& name);
    QComboBox* synthesizerCombo() const { return m_combo; }

    /// A new comparison: forget the last synthesis. `expectSynthesis`: one is coming once the answers
    /// are in.
    void reset(bool expectSynthesis);
    /// Shows the synthesis of `session`, whose answer i is in column `columns[i]`.
    void follow(CompareSession* session, const QList<int>& columns);
    /// Shows a synthesis from the history, whose answer i is in column i (labelled as the session
    /// labelled them: the answers that succeeded, in column order).
    void showStored(const Answer& synthesis, const QList<Answer>& answers);

    /// Computes the agreement of these answers (failed: empty) on the thread pool, then shows it.
    void showAgreement(const QStringList& profiles, const QList<std::optional<QString>>& texts);
    AgreementHeatMap* heatMap() const { return m_heatMap; }

    QString text() const { return m_text; }
    QTextBrowser* body() const { return m_body; }
    /// Label → colour of the column it cites, for the synthesis shown.
    const QHash<QString, QColor>& labelColours() const { return m_labelColours; }
    QString statusText() const;

signals:
    void synthesisFinished();
    void agreementShown();

private:
    using Agreement = QPair<QStringList, AgreementHeatMap::Matrix>;

    void render();
    void onAgreementComputed();
    /// Remembers the colour of `label` and returns its legend entry.
    QString legendEntry(const QString& label, const QString& profile, int column);

    QComboBox* m_combo;
    QLabel* m_status;
    QLabel* m_legend;
    AgreementHeatMap* m_heatMap;
    QTextBrowser* m_body;
    QTimer m_renderTimer;
    QString m_text;
    QHash<QString, QColor> m_labelColours;
    QString m_chosen; ///< the synthesizer the user picked, remembered in QSettings
    QFutureWatcher<Agreement>* m_agreementWatcher;
};

} // namespace parallax
