#pragma once

#include "app/AppProfile.h"
#include "engine/RequestState.h"
#include "providers/Answer.h"
#include "text/WordDiff.h"

#include <QElapsedTimer>
#include <QFrame>
#include <QTimer>

class QLabel;
class QTextBrowser;
class QToolButton;

namespace parallax {

/// One answer: a header (profile, model, state, metrics) above the answer rendered as Markdown while it
/// streams. Rendering is throttled — at most one re-render every `renderIntervalMs`, however many deltas
/// arrive, and less often as a long answer makes each layout slower (`renderCostFactor`) — so eight fast
/// streams cost a few layouts per second each, not one per token. Re-renders of several columns are
/// spread over event-loop passes (RenderQueue) so they never add up to one long stall.
class AnswerColumn : public QFrame {
    Q_OBJECT
public:
    static constexpr int renderIntervalMs = 50;
    /// The wait before the next re-render is this many times the last one's duration (≤ 4 % per column).
    static constexpr int renderCostFactor = 25;
    static constexpr int maxRenderIntervalMs = 1000;

    AnswerColumn(const AppProfile& profile, QWidget* parent = nullptr);

    const AppProfile& profile() const { return m_profile; }
    /// Back to an empty, queued column (a retry).
    void reset();
    void setState(RequestState state, const QString& detail = {});
    void appendText(const QString& delta);
    void finish(const Answer& answer);

    /// The column's colour (ColumnPalette), shown as a swatch next to the profile name.
    void setAccentColour(const QColor& colour);
    QColor accentColour() const { return m_accent; }
    /// Diff mode: the body shows this answer's words against the base column's — inserted words on a
    /// green background, deleted ones struck through in red — as plain text instead of Markdown, since
    /// the words compared are the Markdown source. Cleared by clearDiff() and by reset().
    void showDiff(const QList<WordDiff::Segment>& segments, const QString& baseName);
    /// Diff mode with this column as the base: Markdown as usual, marked as the base.
    void showAsDiffBase();
    void clearDiff();
    bool isShowingDiff() const { return m_diff.has_value(); }
    QString diffLabelText() const;

    RequestState state() const { return m_state; }
    bool isFinished() const { return m_finished; }
    QString text() const { return m_text; }
    QString stateText() const;
    QString metricsText() const;
    QString errorText() const;
    std::optional<Answer> answer() const { return m_answer; }
    QTextBrowser* body() const { return m_body; }
    /// How many times the body was re-rendered (tests check the throttle).
    int renderCount() const { return m_renderCount; }

signals:
    void retryRequested();

protected:
    void mouseDoubleClickEvent(QMouseEvent* event) override;

signals:
    void maximizeRequested();

private:
    void render();
    void renderDiff();
    void updateLiveMetrics();
    void updateStateLabel(const QString& detail);

    AppProfile m_profile;
    QLabel* m_stateLabel;
    QLabel* m_metricsLabel;
    QLabel* m_errorLabel;
    QLabel* m_swatch;
    QLabel* m_diffLabel;
    QTextBrowser* m_body;
    QToolButton* m_copyButton;
    QToolButton* m_retryButton;
    QTimer m_renderTimer;
    QTimer m_liveTimer; ///< refreshes the live metrics while the answer streams
    std::optional<qint64> m_firstTextMs;
    QElapsedTimer m_clock; ///< live elapsed time while waiting for the answer's own metrics
    QString m_text;
    RequestState m_state = RequestState::Queued;
    QString m_stateDetail;
    bool m_finished = false;
    int m_renderCount = 0;
    qint64 m_lastRenderMs = 0;
    std::optional<Answer> m_answer;
    QColor m_accent;
    std::optional<QList<WordDiff::Segment>> m_diff;
};

} // namespace parallax
