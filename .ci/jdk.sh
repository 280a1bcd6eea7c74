# Sourced by .ci/run and ./pouch-server: picks a JDK >= 21 (the machine's default java may be older).

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }

pick_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64)
  for d in /usr/lib/jvm/*; do candidates+=("$d"); done
  for d in "${candidates[@]}"; do
    [ -x "$d/bin/java" ] || continue
    local v; v=$(java_major "$d")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ]; then echo "$d"; return 0; fi
  done
  return 1
}

JAVA_HOME=$(pick_jdk) || { echo "No JDK >= 21 found (JAVA_HOME or /usr/lib/jvm); install one (e.g. Temurin 21 or 25)." >&2; exit 1; }
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
JAVA_MAJOR=$(java_major "$JAVA_HOME")
JAVA_MAJOR=${JAVA_MAJOR%%.*}
