// SPDX-License-Identifier: MIT
#include "app/core/services/KeyMaterial.h"

#include "proxy/auth/AuthPipeline.h"
#include "proxy/auth/SecretMask.h"

#include <QRandomGenerator>

#include <array>

namespace Core {

KeyMaterial KeyMaterial::generate()
{
    std::array<quint32, 8> words{}; // 32 bytes
    QRandomGenerator::system()->generate(words.begin(), words.end());
    const QByteArray bytes(reinterpret_cast<const char *>(words.data()), int(sizeof(words)));
    const QByteArray encoded =
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals); // 43 characters
    return fromPlaintext(QString::fromLatin1(Prefix) + QString::fromLatin1(encoded));
}

KeyMaterial KeyMaterial::fromPlaintext(const QString &plaintext)
{
    KeyMaterial material;
    material.plaintext = plaintext;
    material.prefix = plaintext.left(PrefixDisplayLength);
    material.last4 = plaintext.right(4);
    material.hashHex = sha256Hex(plaintext);
    return material;
}

QString KeyMaterial::sha256Hex(const QString &plaintext)
{
    return QString::fromLatin1(Proxy::keyDigest(plaintext.toUtf8()).toHex()); // the digest the proxy looks up
}

QString KeyMaterial::masked(const QString &last4)
{
    return Proxy::maskKeygateKey(last4.toLatin1());
}

} // namespace Core
