// SPDX-License-Identifier: MIT
#pragma once

namespace Console {

class AccountsPage;
class KeysPage;
class StartActions;
class TracePage;
class UsagePage;

/// Lays an EmptyState over the tables of the Keys, Accounts, Usage and Auth trace pages: what will
/// appear there and the start action that makes it appear.
void addEmptyStates(KeysPage &keys, AccountsPage &accounts, UsagePage &usage, TracePage &trace,
                    StartActions &actions);

} // namespace Console
