#!/usr/bin/env bash
# seed-ldap.sh DIR N_USERS N_GROUPS      (offline, fast: slapadd into instance DIR)
# seed-ldap.sh LDAP_URL N_USERS N_GROUPS (online: ldapadd against any server, slower)
#
# Offline mode (DIR = an instance made by start-slapd.sh):
#   stops slapd from DIR if it runs, keeps every entry that is not directly below
#   ou=people / ou=groups (slapcat), wipes the mdb files, bulk-loads
#   base + gen-ldif.sh N_USERS N_GROUPS with `slapadd -q`, and restarts slapd on the same
#   ports if it was running. Idempotent: the result always has exactly N users/N groups.
#   memberOf values are written by the generator (the memberof overlay does not run
#   under slapadd); entryUUID/entryCSN/create+modifyTimestamp are added by slapadd.
# Online mode: ldapadd -c of gen-ldif.sh output with MEMBEROF=0 (overlay fills memberOf);
#   bind as $LDAP_BIND_DN / $LDAP_BIND_PW (default cn=admin,dc=example,dc=com / secret);
#   existing entries are skipped (-c), ou=people/ou=groups must exist.
# Env: EXTRA_LDIF=path of hand-written entries appended to the offline load (test fixtures).
#      LDAP_SUFFIX, SEED, USER_PW_HASH (see gen-ldif.sh); KEEP_LDIF=path to keep the LDIF.
set -euo pipefail
TARGET=${1:?usage: seed-ldap.sh DIR|LDAP_URL N_USERS N_GROUPS}
N=${2:?usage: seed-ldap.sh DIR|LDAP_URL N_USERS N_GROUPS}
G=${3:?usage: seed-ldap.sh DIR|LDAP_URL N_USERS N_GROUPS}
HERE=$(cd "$(dirname "$0")" && pwd)
SUFFIX=${LDAP_SUFFIX:-dc=example,dc=com}
log() { echo "seed-ldap: $*" >&2; }
maybe_tee() { if [ -n "${KEEP_LDIF:-}" ]; then tee "$KEEP_LDIF"; else cat; fi; }
t0=$(date +%s.%N)
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

case "$TARGET" in
ldap://* | ldaps://* | ldapi://*)
  command -v ldapadd >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q ldap-utils >&2 || { apt-get update -q >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -q ldap-utils >&2; }; }
  BIND_DN=${LDAP_BIND_DN:-cn=admin,$SUFFIX}
  BIND_PW=${LDAP_BIND_PW:-secret}
  log "online: ldapadd $N users + $G groups to $TARGET"
  set +e
  MEMBEROF=0 "$HERE/gen-ldif.sh" "$N" "$G" | maybe_tee |
    ldapadd -c -x -H "$TARGET" -D "$BIND_DN" -w "$BIND_PW" >/dev/null 2>"${TMPDIR:-/tmp}/seed-ldap.err.$$"
  rc=$?
  set -e
  if [ $rc != 0 ] && [ $rc != 68 ]; then   # 68 = already exists (with -c: last error)
    log "ldapadd rc=$rc:"; tail -5 "${TMPDIR:-/tmp}/seed-ldap.err.$$" >&2
  fi
  rm -f "${TMPDIR:-/tmp}/seed-ldap.err.$$"
  log "done in $(elapsed)s"
  exit 0
  ;;
esac

DIR=$(cd "$TARGET" && pwd)
[ -d "$DIR/slapd.d/cn=config" ] || { log "$DIR is not an instance (run start-slapd.sh $DIR PORT first)"; exit 1; }
was_running=0
if [ -s "$DIR/run/slapd.pid" ] && kill -0 "$(cat "$DIR/run/slapd.pid")" 2>/dev/null; then
  was_running=1
  "$HERE/stop-slapd.sh" "$DIR"
fi
base=$(mktemp "${TMPDIR:-/tmp}/seed-base.XXXXXX.ldif")
trap 'rm -f "$base"' EXIT
# keep everything except the children of ou=people / ou=groups
slapcat -F "$DIR/slapd.d" -b "$SUFFIX" \
  -a "(!(|(entryDN:dnOneLevelMatch:=ou=people,$SUFFIX)(entryDN:dnOneLevelMatch:=ou=groups,$SUFFIX)))" >"$base"
rm -f "$DIR/data/data.mdb" "$DIR/data/lock.mdb"
log "offline: slapadd $N users + $G groups into $DIR ($(grep -c '^dn:' "$base") base entries kept)"
{ cat "$base"; MEMBEROF=1 "$HERE/gen-ldif.sh" "$N" "$G"; [ -z "${EXTRA_LDIF:-}" ] || { echo; cat "$EXTRA_LDIF"; }; } | maybe_tee |
  slapadd -q -F "$DIR/slapd.d" -b "$SUFFIX" >&2
log "slapadd done in $(elapsed)s; data.mdb $(du -h "$DIR/data/data.mdb" | cut -f1) (allocated)"
if [ $was_running = 1 ]; then
  "$HERE/start-slapd.sh" "$DIR" "$(cat "$DIR/run/port")" "$(cat "$DIR/run/tls_port")"
  log "restarted; total $(elapsed)s"
fi
