// SPDX-License-Identifier: MIT
// Shared helpers for Keygate tests live beside this file.
