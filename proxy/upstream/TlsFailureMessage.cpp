// SPDX-License-Identifier: MIT
#include "proxy/upstream/TlsFailureMessage.h"

#include <QStringList>

#include <map>

namespace Proxy {

namespace {

/// Causes in the order the sentence names them: the one the user most likely has to fix first.
enum class Cause { NameMismatch, SelfSigned, UnknownIssuer, Expired, NotYetValid, Revoked, WrongPurpose, Other };

Cause causeOf(QSslError::SslError error)
{
    switch (error) {
    case QSslError::HostNameMismatch:
        return Cause::NameMismatch;
    case QSslError::SelfSignedCertificate:
        return Cause::SelfSigned;
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
        return Cause::UnknownIssuer;
    case QSslError::CertificateExpired:
        return Cause::Expired;
    case QSslError::CertificateNotYetValid:
        return Cause::NotYetValid;
    case QSslError::CertificateRevoked:
        return Cause::Revoked;
    case QSslError::InvalidPurpose:
        return Cause::WrongPurpose;
    default:
        return Cause::Other;
    }
}

QString phrase(Cause cause, const QString &host, const QString &errorText)
{
    switch (cause) {
    case Cause::NameMismatch:
        return QStringLiteral("does not match %1").arg(host);
    case Cause::SelfSigned:
        return QStringLiteral("is self-signed and not trusted");
    case Cause::UnknownIssuer:
        return QStringLiteral("is not trusted (its issuer is not a known CA; a company CA can be added to the account)");
    case Cause::Expired:
        return QStringLiteral("has expired");
    case Cause::NotYetValid:
        return QStringLiteral("is not yet valid");
    case Cause::Revoked:
        return QStringLiteral("has been revoked");
    case Cause::WrongPurpose:
        return QStringLiteral("is not meant for a TLS server");
    case Cause::Other:
        break;
    }
    return QStringLiteral("was refused (%1)").arg(errorText);
}

} // namespace

QString TlsFailureMessage::describe(const QList<QSslError> &errors, const QString &host)
{
    std::map<Cause, QString> causes; // ordered, each cause once (the first error's text for Other)
    for (const QSslError &error : errors)
        causes.emplace(causeOf(error.error()), error.errorString());
    if (causes.empty())
        return {};
    // "self-signed and not trusted" already says no known CA vouches for it.
    if (causes.contains(Cause::SelfSigned))
        causes.erase(Cause::UnknownIssuer);
    QStringList phrases;
    for (const auto &[cause, text] : causes)
        phrases.append(phrase(cause, host, text));
    QString sentence = phrases.takeLast();
    if (!phrases.isEmpty())
        sentence = phrases.join(QStringLiteral(", ")) + QStringLiteral(" and ") + sentence;
    return QStringLiteral("upstream TLS certificate ") + sentence;
}

} // namespace Proxy
