// SPDX-License-Identifier: MIT
#include "app/cli/CliApplication.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("keygate"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    return Core::runCli(QCoreApplication::arguments());
}
