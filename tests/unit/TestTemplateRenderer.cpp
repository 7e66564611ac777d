#include "text/TemplateRenderer.h"

#include <QTest>

using namespace parallax;

class TestTemplateRenderer : public QObject {
    Q_OBJECT

private slots:
    void rendersEveryPlaceholder() {
        QStringList missing{QStringLiteral("stale")};
        QCOMPARE(
            TemplateRenderer::render("{{ a }} and {{b}}, again {{a}}", {{"a", "1"}, {"b", "2"}}, &missing),
            std::optional<QString>("1 and 2, again 1"));
        QCOMPARE(TemplateRenderer::render("no placeholders {x} {{ }} {{1x}}", {}, &missing),
                 std::optional<QString>("no placeholders {x} {{ }} {{1x}}"));
        // A value that looks like a placeholder is not filled again.
        QCOMPARE(TemplateRenderer::render("{{a}}", {{"a", "{{b}}"}, {"b", "no"}}, &missing),
                 std::optional<QString>("{{b}}"));
    }

    void refusesAHole() {
        QStringList missing;
        QVERIFY(!TemplateRenderer::render("{{a}} {{c}} {{c}} {{d.e-f}}", {{"a", "1"}}, &missing));
        QCOMPARE(missing, QStringList({"c", "d.e-f"}));
    }

    void fillsWhatIsKnownAndKeepsTheRest() {
        QStringList missing;
        QCOMPARE(TemplateRenderer::fillKnown("Dear {{ name }}, re {{topic}}: {{name}}", {{"name", "Ann"}},
                                             &missing),
                 QStringLiteral("Dear Ann, re {{topic}}: Ann"));
        QCOMPARE(missing, QStringList({"topic"}));
        QCOMPARE(TemplateRenderer::fillKnown("plain", {}, &missing), QStringLiteral("plain"));
        QVERIFY(missing.isEmpty());
        // An empty value is a value.
        QCOMPARE(TemplateRenderer::fillKnown("[{{x}}]", {{"x", ""}}, &missing), QStringLiteral("[]"));
        QVERIFY(missing.isEmpty());
    }

    void namesInOrderOfFirstUse() {
        QCOMPARE(TemplateRenderer::names("{{b}} {{ a }} {{b}} {{_c}} {{9}}"), QStringList({"b", "a", "_c"}));
        QVERIFY(TemplateRenderer::names("nothing to fill {x}").isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestTemplateRenderer)
#include "TestTemplateRenderer.moc"
