#!/usr/bin/env bash
# Makes this machine's PostgreSQL and MariaDB match what the integration tests (*IT) expect, and
# starts them. Run as root on Debian 12; safe to run again at any time, including while both
# servers are already running (it then only checks and reports).
#
#   PostgreSQL: 127.0.0.1:5432, trust authentication, superuser role 'root', databases 'test' and
#               'root', wal_level=logical (for change capture).
#   MariaDB:    127.0.0.1:3306, user 'root' with an empty password over TCP, database 'test',
#               ROW binlog with full row images and metadata (for change capture).
#
# Installs the Debian packages only when a server is missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

log() { printf 'test-databases: %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "test-databases: run me as root (sudo bash $0)" >&2
  exit 1
fi

# ------------------------------------------------------------------ install when missing
need=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# ------------------------------------------------------------------ PostgreSQL
pg_version=$(ls /etc/postgresql | sort -V | tail -n 1)
pg_conf_dir=/etc/postgresql/$pg_version/main
pg() { pg_ctlcluster --skip-systemctl-redirect "$pg_version" main "$@"; }
pg_admin() { psql -X -q -t -A -h 127.0.0.1 -U postgres -d postgres "$@"; }

# Trust every local and loopback login (test machines only), plus physical replication over TCP.
sed -i -E '/^(local|host)[[:space:]]+all[[:space:]]/ s/(peer|scram-sha-256|md5)[[:space:]]*$/trust/' "$pg_conf_dir/pg_hba.conf"
if ! grep -qE '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$pg_conf_dir/pg_hba.conf"; then
  sed -i '1i host    replication     all             127.0.0.1/32            trust' "$pg_conf_dir/pg_hba.conf"
fi

if pg status >/dev/null 2>&1; then
  pg reload >/dev/null
else
  log "starting PostgreSQL $pg_version"
  pg start
fi
for _ in $(seq 1 60); do pg_admin -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.5; done

if [ "$(pg_admin -c 'SHOW wal_level')" != logical ]; then
  log "setting wal_level=logical (restarts PostgreSQL)"
  pg_admin -c "ALTER SYSTEM SET wal_level = 'logical'"
  pg restart
  for _ in $(seq 1 60); do pg_admin -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.5; done
fi
pg_admin -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'root') THEN CREATE ROLE root LOGIN SUPERUSER; END IF;
END \$\$"
pg_admin -c "ALTER ROLE root WITH LOGIN SUPERUSER REPLICATION"
for db in test root; do
  if [ "$(pg_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    pg_admin -c "CREATE DATABASE $db OWNER root"
  fi
done

# ------------------------------------------------------------------ MariaDB
mdb_pidfile=/run/mysqld/mysqld.pid
mdb_conf=/etc/mysql/mariadb.conf.d/60-ferry-tests.cnf
mdb_wanted=$(cat <<'CNF'
# Written by scripts/test-databases.sh: settings the Ferry integration tests rely on.
[mysqld]
user                = mysql
log_error           = /var/log/mysql/error.log
server_id           = 1
log_bin             = mariadb-bin
binlog_format       = ROW
binlog_row_image    = FULL
binlog_row_metadata = FULL
CNF
)
mdb_conf_changed=no
# Debian's my.cnf reads mariadb.conf.d; a hand-written one may not, so make sure it does.
install -d -m 0755 "$(dirname "$mdb_conf")"
if ! grep -qsE "^[[:space:]]*!includedir[[:space:]]+$(dirname "$mdb_conf")/?[[:space:]]*$" /etc/mysql/my.cnf; then
  printf '\n!includedir %s/\n' "$(dirname "$mdb_conf")" >> /etc/mysql/my.cnf
  mdb_conf_changed=yes
fi
if [ ! -f "$mdb_conf" ] || [ "$(cat "$mdb_conf")" != "$mdb_wanted" ]; then
  printf '%s\n' "$mdb_wanted" > "$mdb_conf"
  mdb_conf_changed=yes
fi
install -d -o mysql -g adm -m 2750 /var/log/mysql
install -d -o mysql -g root -m 0755 /run/mysqld

mdb_ping() { mariadb-admin --connect-timeout=2 ping >/dev/null 2>&1; }
mdb_wait() {
  for _ in $(seq 1 120); do mdb_ping && return 0; sleep 0.5; done
  echo "test-databases: mariadbd did not come up; last lines of its log:" >&2
  tail -n 30 /var/log/mysql/error.log >&2 || true
  return 1
}
# --pidfile keeps start and stop to the system server, not any other mariadbd on the machine.
mdb_start() { start-stop-daemon --start --oknodo --background --pidfile "$mdb_pidfile" --exec /usr/sbin/mariadbd; mdb_wait; }
mdb_stop()  { start-stop-daemon --stop --oknodo --retry TERM/60/KILL/5 --pidfile "$mdb_pidfile" --exec /usr/sbin/mariadbd; }

if ! mdb_ping; then
  log "starting MariaDB"
  mdb_start
elif [ "$mdb_conf_changed" = yes ] && [ "$(mariadb -NBe "SELECT @@log_bin = 1 AND @@binlog_format = 'ROW' AND @@binlog_row_image = 'FULL' AND @@binlog_row_metadata = 'FULL'")" != 1 ]; then
  log "restarting MariaDB for the binlog settings"
  mdb_stop
  mdb_start
fi
# Debian's root logs in through unix_socket; the tests log in over TCP with an empty password.
if ! mariadb -h 127.0.0.1 -P 3306 -u root --password= -e 'SELECT 1' >/dev/null 2>&1; then
  mariadb -e "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket"
fi
mariadb -e "CREATE DATABASE IF NOT EXISTS test"

# ------------------------------------------------------------------ report
psql -X -q -t -A -h 127.0.0.1 -U root -d test -c \
  "SELECT 'postgresql ' || current_setting('server_version') || ', wal_level=' || current_setting('wal_level')"
mariadb -h 127.0.0.1 -P 3306 -u root --password= -NBe \
  "SELECT CONCAT('mariadb ', @@version, ', binlog_format=', @@binlog_format, ', binlog_row_metadata=', @@binlog_row_metadata)" test
