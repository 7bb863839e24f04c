#!/bin/sh
# Every command and subcommand word that `keygate --help` lists must be offered by the bash completion,
# and the man page (help2man of the same --help) lists them by construction: the two cannot drift apart.
# Usage: check-completion.sh KEYGATE COMPLETION_FILE
set -eu
keygate=${1:?usage: check-completion.sh KEYGATE COMPLETION_FILE}
completion=${2:?usage: check-completion.sh KEYGATE COMPLETION_FILE}
help=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$keygate" --help)

# The lines under "Commands:" up to the blank line; their first two words, split at "|" (a|b alternatives),
# without placeholders (UPPER_CASE), options, bracketed parts and the description (after two spaces).
words=$(printf '%s\n' "$help" | sed -n '/^Commands:/,/^$/p' | sed '1d;/^$/d' | sed 's/^  \([^ ]\)/\1/; s/  .*//' |
    awk '/^[a-z]/ { print $1; if ($2 ~ /^[a-z][a-z|-]*$/) print $2 }' | tr '|' '\n' | sort -u)
[ -n "$words" ] || { echo "check-completion: no commands found in --help" >&2; exit 2; }

missing=0
for word in $words; do
    grep -Eq "(^|[' |(])$word([' |)]|\$)" "$completion" || { echo "check-completion: \"$word\" is in --help but not in $completion" >&2; missing=1; }
done
[ "$missing" -eq 0 ] && echo "check-completion: $(echo "$words" | wc -l) command words, all completed"
exit "$missing"
