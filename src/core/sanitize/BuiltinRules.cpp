#include "BuiltinRules.h"

#include "sanitize/EntityType.h"
#include "sanitize/ShapeScanners.h"

namespace parallax {

namespace {

// Most token rules end like gitleaks': the value is followed by a quote, whitespace, ';', an
// escaped newline or the end, so a longer random string is not cut into a "key".
const QString kTokenEnd = QStringLiteral(R"re((?:[`'"\s;,)\]}]|\\[nr]|$))re");

Rule secret(const QString& name, const QString& pattern, const QStringList& keywords, double minEntropy,
            bool caseInsensitive = false) {
    Rule rule;
    rule.name = name;
    rule.type = EntityType::Secret;
    rule.pattern = pattern;
    rule.keywords = keywords;
    rule.group = 1;
    rule.minEntropy = minEntropy;
    rule.secretAllowlist = true;
    rule.confidence = 0.9;
    rule.caseInsensitive = caseInsensitive;
    return rule;
}

Rule pii(const QString& name, const QString& type, const QString& pattern, RuleTrigger trigger,
         RuleCheck check, double confidence) {
    Rule rule;
    rule.name = name;
    rule.type = type;
    rule.pattern = pattern;
    rule.trigger = trigger;
    rule.group = 1;
    rule.check = check;
    rule.confidence = confidence;
    rule.lineLocal = trigger != RuleTrigger::KeywordsOnly;
    return rule;
}

QList<Rule> buildRules() {
    QList<Rule> rules;
    const QString octet = QStringLiteral(R"re((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))re");
    const QString quad = QStringLiteral("%1(?:\\.%1){3}").arg(octet);

    // --- personal data -----------------------------------------------------------------------
    Rule email = pii(
        QStringLiteral("email-address"), EntityType::Email,
        QStringLiteral(
            R"re((?<![\w.+\-])([A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+)*(?:@|\s?(?i:\[at\])\s?)(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.|(?i:\[dot\])))+[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9])(?![\w\-]))re"),
        RuleTrigger::KeywordsOnly, RuleCheck::EmailDomain, 1.0);
    email.keywords = {QStringLiteral("@"), QStringLiteral("[at]")};
    // The local part's characters and its dots, right before "@" or before "\s?[at]".
    email.keywordRun =
        QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-.");
    rules << email;

    Rule url =
        pii(QStringLiteral("url"), EntityType::Url,
            QStringLiteral(
                R"re((?i)(?<![\w])((?:https?|ftps?|wss?|sftp|ssh|git|smb|ldaps?)://[^\s<>"'`{}|\\^]+))re"),
            RuleTrigger::KeywordsOnly, RuleCheck::Url, 0.6);
    url.keywords = {QStringLiteral("://")};
    // The scheme in front of "://" has at most five letters ("https", "ldaps").
    url.keywordReach = 5;
    rules << url;

    Rule ipv4 = pii(QStringLiteral("ipv4"), EntityType::IpAddress,
                    QStringLiteral(R"re((?<![\w.])(%1(?:/(?:3[0-2]|[12]?\d))?)(?![\w]|\.\d))re").arg(quad),
                    RuleTrigger::DottedQuad, RuleCheck::IpAddress, 0.8);
    ipv4.scanner = &ShapeScanners::ipv4;
    rules << ipv4;
    rules << pii(
        QStringLiteral("ipv6"), EntityType::IpAddress,
        QStringLiteral(
            R"re((?<![\w:.])((?:[0-9A-Fa-f]{1,4}:|:)(?::|[0-9A-Fa-f]{1,4}:){0,7}(?:%1|[0-9A-Fa-f]{1,4}|:)?(?:%[0-9A-Za-z]+)?(?:/(?:12[0-8]|1[01]\d|[1-9]?\d))?)(?![\w:]|\.\w))re")
            .arg(quad),
        RuleTrigger::Ipv6Colons, RuleCheck::IpAddress, 0.8);

    Rule macColon =
        pii(QStringLiteral("mac-address"), EntityType::MacAddress,
            QStringLiteral(
                R"re((?<![\w:\-])([0-9A-Fa-f]{2}([:\-])(?:[0-9A-Fa-f]{2}\2){4}[0-9A-Fa-f]{2})(?![\w:\-]))re"),
            RuleTrigger::MacColons, RuleCheck::MacAddress, 0.8);
    macColon.scanner = &ShapeScanners::macColon;
    rules << macColon;
    Rule macDotted =
        pii(QStringLiteral("mac-address"), EntityType::MacAddress,
            QStringLiteral(R"re((?<![\w.])([0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w]|\.\w))re"),
            RuleTrigger::MacDots, RuleCheck::MacAddress, 0.8);
    macDotted.scanner = &ShapeScanners::macDotted;
    rules << macDotted;

    // One delimiter style (backreference); the validator applies the SSA rules.
    Rule ssn = pii(QStringLiteral("us-ssn"), EntityType::UsSsn,
                   QStringLiteral(R"re((?<![\w\-.])(\d{3}([\- .])\d{2}\2\d{4})(?![\w\-]|\.\d))re"),
                   RuleTrigger::UsSsnShape, RuleCheck::UsSsn, 0.85);
    ssn.scanner = &ShapeScanners::usSsn;
    rules << ssn;
    // Presidio's weak SSN forms (bare 9 digits, 3-6, 5-4): suggestions only.
    Rule weakSsn = pii(QStringLiteral("us-ssn-weak"), EntityType::UsSsn,
                       QStringLiteral(R"re((?<![\w\-.])(\d{9}|\d{3}-\d{6}|\d{5}-\d{4})(?![\w\-]|\.\d))re"),
                       RuleTrigger::WeakSsnShape, RuleCheck::UsSsn, 0.05);
    weakSsn.suggestion = true;
    weakSsn.scanner = &ShapeScanners::weakSsn;
    rules << weakSsn;

    // Presidio's card pattern plus the 2-series Mastercard range; a 13-digit number starting with 1
    // is a millisecond timestamp, not a card. Luhn decides.
    Rule card = pii(
        QStringLiteral("credit-card"), EntityType::CreditCard,
        QStringLiteral(
            R"re((?<![\w\-])(?!1\d{12}(?!\d))((?:4\d{3}|5[0-5]\d{2}|2[2-7]\d{2}|6\d{3}|1\d{3}|3\d{3})[\- ]?\d{3,4}[\- ]?\d{3,4}[\- ]?\d{3,5})(?![\w\-]))re"),
        RuleTrigger::CardShape, RuleCheck::Luhn, 1.0);
    card.scanner = &ShapeScanners::creditCard;
    rules << card;

    Rule iban = pii(
        QStringLiteral("iban"), EntityType::Iban,
        QStringLiteral(
            R"re((?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]{4}){2,7}(?:[ \-]?[A-Z0-9]{1,4})?)(?![A-Za-z0-9]))re"),
        RuleTrigger::IbanPrefix, RuleCheck::Iban, 1.0);
    iban.scanner = &ShapeScanners::iban;
    rules << iban;

    rules << pii(QStringLiteral("bitcoin-address"), EntityType::Crypto,
                 QStringLiteral(R"re((?<![\w])((?:bc1|BC1|[13])[a-zA-HJ-NP-Z0-9]{25,87})(?![\w]))re"),
                 RuleTrigger::LongToken, RuleCheck::Bitcoin, 1.0);

    // --- secrets (gitleaks rule table, adapted) --------------------------------------------------
    rules << secret(
        QStringLiteral("openai-api-key"),
        QStringLiteral(
            R"re(\b(sk-(?:proj|svcacct|admin)-(?:[A-Za-z0-9_\-]{74}|[A-Za-z0-9_\-]{58})T3BlbkFJ(?:[A-Za-z0-9_\-]{74}|[A-Za-z0-9_\-]{58})\b|sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20}))re") +
            kTokenEnd,
        {QStringLiteral("t3blbkfj")}, 3.0);
    rules << secret(QStringLiteral("anthropic-api-key"),
                    QStringLiteral(R"re(\b(sk-ant-api03-[a-zA-Z0-9_\-]{93}AA))re") + kTokenEnd,
                    {QStringLiteral("sk-ant-api03")}, 3.0);
    rules << secret(QStringLiteral("anthropic-admin-api-key"),
                    QStringLiteral(R"re(\b(sk-ant-admin01-[a-zA-Z0-9_\-]{93}AA))re") + kTokenEnd,
                    {QStringLiteral("sk-ant-admin01")}, 3.0);
    rules << secret(QStringLiteral("aws-access-key-id"),
                    QStringLiteral(R"re(\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b)re"),
                    {QStringLiteral("a3t"), QStringLiteral("akia"), QStringLiteral("asia"),
                     QStringLiteral("abia"), QStringLiteral("acca")},
                    3.0);
    rules << secret(
        QStringLiteral("aws-secret-access-key"),
        QStringLiteral(
            R"re((?i)aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+]))re"),
        {QStringLiteral("secret_access_key"), QStringLiteral("secretaccesskey")}, 4.0);
    rules << secret(QStringLiteral("github-pat"),
                    QStringLiteral(R"re(\b((?:ghp|gho|ghu|ghs|ghr)_[0-9a-zA-Z]{36}|github_pat_\w{82})\b)re"),
                    {QStringLiteral("ghp_"), QStringLiteral("gho_"), QStringLiteral("ghu_"),
                     QStringLiteral("ghs_"), QStringLiteral("ghr_"), QStringLiteral("github_pat_")},
                    3.0);
    rules << secret(
        QStringLiteral("gitlab-pat"),
        QStringLiteral(
            R"re(\b(glpat-[\w\-]{20}(?:[\w\-]{7,280}\.[0-9a-z]{9})?|glptt-[0-9a-f]{40}|GR1348941[\w\-]{20}|glrt-[\w\-]{20,}(?:\.[0-9a-z]{9})?)(?![\w\-]))re"),
        {QStringLiteral("glpat-"), QStringLiteral("glptt-"), QStringLiteral("gr1348941"),
         QStringLiteral("glrt-")},
        3.0);
    rules << secret(QStringLiteral("google-api-key"), QStringLiteral(R"re(\b(AIza[\w\-]{35}))re") + kTokenEnd,
                    {QStringLiteral("aiza")}, 4.0);
    rules << secret(
        QStringLiteral("slack-token"),
        QStringLiteral(
            R"re(((?i:xoxe\.xox[bp]-\d-[A-Z0-9]{163,166})|(?i:xoxe-\d-[A-Z0-9]{146})|xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9\-]*|xoxb-[0-9]{8,14}-[a-zA-Z0-9]{18,26}|xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9\-]{28,34}|xox[os]-\d+-\d+-\d+-[a-fA-F\d]+|xox[ar]-(?:\d-)?[0-9a-zA-Z]{8,48}|(?i:xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)|(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}))re"),
        {QStringLiteral("xox"), QStringLiteral("xapp-"), QStringLiteral("hooks.slack.com")}, 2.0);
    rules << secret(QStringLiteral("stripe-key"),
                    QStringLiteral(R"re(\b((?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99})\b)re"),
                    {QStringLiteral("sk_test"), QStringLiteral("sk_live"), QStringLiteral("sk_prod"),
                     QStringLiteral("rk_test"), QStringLiteral("rk_live"), QStringLiteral("rk_prod")},
                    2.0);
    rules << secret(QStringLiteral("huggingface-token"),
                    QStringLiteral(R"re(\b(hf_[a-zA-Z]{34}|api_org_[a-zA-Z]{34}))re") + kTokenEnd,
                    {QStringLiteral("hf_"), QStringLiteral("api_org_")}, 2.0);
    rules << secret(QStringLiteral("npm-token"),
                    QStringLiteral(R"re((?i)\b(npm_[a-z0-9]{36}))re") + kTokenEnd, {QStringLiteral("npm_")},
                    2.0);
    rules << secret(QStringLiteral("sendgrid-api-key"),
                    QStringLiteral(R"re(\b(SG\.[a-zA-Z0-9=_\-.]{66}))re") + kTokenEnd,
                    {QStringLiteral("sg.")}, 2.0);
    rules << secret(QStringLiteral("perplexity-api-key"),
                    QStringLiteral(R"re(\b(pplx-[a-zA-Z0-9]{48}))re") + kTokenEnd, {QStringLiteral("pplx-")},
                    3.0);
    rules << secret(QStringLiteral("databricks-api-token"),
                    QStringLiteral(R"re(\b(dapi[a-f0-9]{32}(?:-\d)?))re") + kTokenEnd,
                    {QStringLiteral("dapi")}, 3.0);
    rules << secret(QStringLiteral("age-secret-key"),
                    QStringLiteral(R"re((AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}))re"),
                    {QStringLiteral("age-secret-key-1")}, 0.0);
    rules << secret(
        QStringLiteral("azure-ad-client-secret"),
        QStringLiteral(
            R"re((?:^|[\\'"`\s>=:(,)])([a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.\-]{31,34})(?:$|[\\'"`\s<),]))re"),
        {QStringLiteral("q~")}, 3.0);
    rules << secret(QStringLiteral("hashicorp-tf-api-token"),
                    QStringLiteral(R"re((?i)\b([a-z0-9]{14}\.atlasv1\.[a-z0-9\-_=]{60,70}))re") + kTokenEnd,
                    {QStringLiteral("atlasv1")}, 3.5);
    rules << secret(QStringLiteral("vault-token"),
                    QStringLiteral(R"re(\b(hvs\.[\w\-]{90,120}|hvb\.[\w\-]{138,300}))re") + kTokenEnd,
                    {QStringLiteral("hvs."), QStringLiteral("hvb.")}, 3.5);
    rules << secret(QStringLiteral("openshift-user-token"),
                    QStringLiteral(R"re(\b(sha256~[\w\-]{43})(?![\w\-]))re"), {QStringLiteral("sha256~")},
                    3.5);
    rules << secret(
        QStringLiteral("grafana-token"),
        QStringLiteral(R"re(\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,3}))re") +
            kTokenEnd,
        {QStringLiteral("glsa_"), QStringLiteral("glc_")}, 3.0);
    rules << secret(QStringLiteral("pypi-upload-token"),
                    QStringLiteral(R"re((pypi-AgEIcHlwaS5vcmc[\w\-]{50,1000}))re"),
                    {QStringLiteral("pypi-ageichlwas5vcmc")}, 3.0);
    rules << secret(
        QStringLiteral("jwt"),
        QStringLiteral(
            R"re(\b(ey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9/\\_\-]{17,}\.(?:[a-zA-Z0-9/\\_\-]{10,}={0,2})?))re") +
            kTokenEnd,
        {QStringLiteral("eyj")}, 3.0);

    Rule privateKey = secret(
        QStringLiteral("private-key"),
        QStringLiteral(
            R"re((?i)(-----BEGIN[ A-Z0-9_\-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S]{64,}?KEY(?: BLOCK)?-----))re"),
        {QStringLiteral("-----begin")}, 0.0);
    privateKey.multiLine = true;
    privateKey.secretAllowlist = false;
    rules << privateKey;

    rules << secret(
        QStringLiteral("bearer-token"),
        QStringLiteral(
            R"re((?i)(?:\bauthorization["']?\s*[:=]\s*["']?\s*(?:bearer|basic|token|api-token|digest)\s+|\bbearer\s+)([A-Za-z0-9+/=._~\-]{12,})(?![A-Za-z0-9+/=._~\-]))re"),
        {QStringLiteral("bearer"), QStringLiteral("authorization")}, 3.0);
    rules << secret(
        QStringLiteral("http-auth-header"),
        QStringLiteral(
            R"re((?i)(?:-H|--header)\s*["']\s*(?:authorization|[\w\-]*api[\-_]?key|[\w\-]*api[\-_]?token|[\w\-]*auth[\-_]?token|token)\s*:\s*(?:(?:bearer|basic|token|api-token|digest)\s+)?([A-Za-z0-9+/=._~:@\-]{6,})(?=['"\s]))re"),
        {QStringLiteral("-h"), QStringLiteral("--header")}, 2.5);

    // Generic `password = ...` / `api_key: ...` assignments: gitleaks' main false-positive source,
    // so a suggestion unless the user enables it.
    Rule generic = secret(
        QStringLiteral("generic-secret"),
        QStringLiteral(
            R"re((?i)(?:^|[\s"'`{(,;&?])[\w.\-]{0,30}?(?:passw(?:or)?d|pwd|secret|token|api[_.\-]?key|access[_.\-]?key|auth[_.\-]?key|credentials?|private[_.\-]?key)[\w\-]{0,20}["']?\s*(?::=|=>|=|:)\s*["']?([A-Za-z0-9+/=._~!@#%^&*\-]{8,200})(?=["'`\s;,)]|$))re"),
        {QStringLiteral("pass"), QStringLiteral("pwd"), QStringLiteral("secret"), QStringLiteral("token"),
         QStringLiteral("key"), QStringLiteral("credential")},
        3.5);
    generic.suggestion = true;
    generic.confidence = 0.4;
    // A separator, at most 30 name characters, then the keyword alternative, whose matcher keyword
    // starts at most 8 characters in ("private_key").
    generic.keywordReach = 1 + 30 + 8;
    generic.assignmentAfterKeyword = true;
    rules << generic;
    return rules;
}

} // namespace

const QList<Rule>& BuiltinRules::all() {
    static const QList<Rule> rules = buildRules();
    return rules;
}

} // namespace parallax
