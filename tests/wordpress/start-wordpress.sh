#!/usr/bin/env bash
# start-wordpress.sh - start a throwaway, REAL WordPress on 127.0.0.1 for clinicpress's integration
# tests (tests/publishing/conftest.py calls it; it also works by hand). Adapted from the recipe in
# ../shared/recipes/wordpress/ (NOTES.md there explains every pitfall the steps below avoid).
#
# What it runs (all from Debian 12 packages, no Apache, no systemd, no Docker, no network):
#   * a private MariaDB server (mariadbd) with its own data dir under the instance dir,
#     reachable ONLY through a unix socket (--skip-networking), so nothing collides on TCP;
#   * a private copy of Debian's WordPress 6.1 (/usr/share/wordpress) with its own wp-config.php;
#   * PHP's built-in web server (php -S 127.0.0.1:PORT) with a router so /wp-json/... works.
# WordPress is installed non-interactively with PHP CLI (wp_install()), pretty permalinks are
# switched on, and an Application Password is created for the admin user, so the REST API at
#   http://127.0.0.1:PORT/wp-json/wp/v2/  accepts HTTP Basic auth "admin:<application password>".
#
# Usage:
#   start-wordpress.sh [PORT|auto] [INSTANCE_DIR]
#   start-wordpress.sh --print-packages   # the Debian packages it needs, on one line (for make setup)
#   start-wordpress.sh --check-deps       # exit 0 if they are installed, else say what is missing, exit 3
#
#   PORT          TCP port on 127.0.0.1 for the web server (default "auto" or 0: a free one)
#   INSTANCE_DIR  where everything of this instance lives (default: a new mktemp dir under /tmp).
#                 Must not exist or be empty. Keep it short: the MariaDB socket path must stay < 108 bytes.
#
# Environment overrides (all optional):
#   WP_ADMIN_USER (admin)  WP_ADMIN_PASSWORD (random)  WP_ADMIN_EMAIL (admin@example.com)
#   WP_TITLE ("clinicpress test clinic")  WP_SERVER_WORKERS (4, PHP_CLI_SERVER_WORKERS)
#   WP_START_TIMEOUT (60 s)
#   WP_DB_PORT   if set, MariaDB ALSO listens on 127.0.0.1:WP_DB_PORT (default: unix socket only)
#
# Output: KEY=VALUE lines on stdout (also written to INSTANCE_DIR/wordpress.env), e.g.
#   WP_BASE_URL=http://127.0.0.1:41234
#   WP_API_URL=http://127.0.0.1:41234/wp-json/wp/v2
#   WP_USER=admin
#   WP_APP_PASSWORD=AbCdEf...   (24 chars; use as Basic auth password for the REST API)
#   WP_ADMIN_PASSWORD=...       (the login password; it does NOT work for the REST API)
#   WP_INSTANCE_DIR=/tmp/wp-test.XXXXXX
# Progress and errors go to stderr. Stop with:  stop-wordpress.sh INSTANCE_DIR
# Exit codes: 0 started, 1 failed to start (logs kept in INSTANCE_DIR/logs), 3 packages missing.
set -euo pipefail

log() { printf '[start-wordpress %s] %s\n' "$(date +%H:%M:%S.%3N)" "$*" >&2; }
# Zombie-aware liveness: a child that died but was not reaped yet still answers kill -0.
alive() { ps -o stat= -p "$1" 2>/dev/null | grep -v '^Z' >/dev/null; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# 0. Packages. Debian's "wordpress" depends on "apache2 | httpd" and "libapache2-mod-php | php";
#    naming php8.2-cgi and micro-httpd (a 50 kB inetd-style server that starts no daemon) satisfies
#    both alternatives, so apt does not pull in (and try to start) Apache. The theme is only needed
#    to look at a published post's public page (without a theme that page is 200 with an empty body).
#    This list is the single source of truth: make setup installs `start-wordpress.sh --print-packages`.
# ---------------------------------------------------------------------------------------------
PKGS="wordpress wordpress-theme-twentytwentythree mariadb-server php-cli php-mysql php php8.2-cgi micro-httpd"
WP_SRC=/usr/share/wordpress           # Debian package's WordPress tree

missing_deps() {   # prints what is missing, nothing if all is there
    local bin
    for bin in php mariadbd mariadb-install-db mariadb mariadb-admin setsid; do
        command -v "$bin" >/dev/null || printf "'%s' not found; " "$bin"
    done
    [ -f "$WP_SRC/wp-load.php" ] || printf '%s missing; ' "$WP_SRC"
    # (not "php -m | grep -q": with pipefail, grep -q quitting early SIGPIPEs php and fails at random)
    if command -v php >/dev/null && ! php -r 'exit(extension_loaded("mysqli") ? 0 : 1);'; then
        printf 'PHP mysqli extension missing; '
    fi
}
deps_or_exit() {
    local missing
    missing=$(missing_deps)
    [ -z "$missing" ] && return 0
    log "ERROR: ${missing%; }. Install: apt-get install --no-install-recommends $PKGS  (or: make setup)"
    exit 3
}

case "${1:-}" in
    --print-packages) echo "$PKGS"; exit 0 ;;
    --check-deps) deps_or_exit; exit 0 ;;
esac
PORT="${1:-${WP_PORT:-auto}}"
DIR="${2:-}"
ADMIN_USER="${WP_ADMIN_USER:-admin}"
ADMIN_EMAIL="${WP_ADMIN_EMAIL:-admin@example.com}"
TITLE="${WP_TITLE:-clinicpress test clinic}"
WORKERS="${WP_SERVER_WORKERS:-4}"
TIMEOUT="${WP_START_TIMEOUT:-60}"
T0=$(date +%s.%N)
deps_or_exit

# http_status URL: the HTTP status code of a GET (000 if nothing answered). With WP_PROBE_AUTH=user:pass
# in the environment it sends Basic auth; the password goes through the environment, not argv, so
# it does not show up in ps. PHP rather than curl: one package less for every machine to install.
http_status() {
    php -r '
        $opts = ["http" => ["ignore_errors" => true, "timeout" => 5, "follow_location" => 0]];
        $auth = getenv("WP_PROBE_AUTH");
        if ($auth !== false && $auth !== "") $opts["http"]["header"] = "Authorization: Basic " . base64_encode($auth);
        $body = @file_get_contents($argv[1], false, stream_context_create($opts));
        echo ($body === false || empty($http_response_header)) ? "000" : explode(" ", $http_response_header[0])[1];
    ' "$1" 2>/dev/null || echo 000
}

# ---------------------------------------------------------------------------------------------
# 1. Port (checked first, so a busy port leaves nothing behind) and instance dir.
# ---------------------------------------------------------------------------------------------
case "$PORT" in
    auto|0) ;;
    *[!0-9]*|'') die "PORT must be a number or 'auto', not '$PORT'" ;;
esac
if [ "$PORT" = auto ] || [ "$PORT" = 0 ]; then
    # Ask the kernel for a free port (tiny race window between here and php -S, acceptable for tests).
    PORT=$(php -r '$s=stream_socket_server("tcp://127.0.0.1:0"); $n=stream_socket_get_name($s,false); echo substr(strrchr($n,":"),1);')
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "127.0.0.1:$PORT is already in use"; fi
BASE_URL="http://127.0.0.1:$PORT"
if [ -z "$DIR" ]; then
    DIR=$(mktemp -d /tmp/wp-test.XXXXXX)
else
    mkdir -p "$DIR"
    [ -z "$(ls -A "$DIR")" ] || die "$DIR is not empty"
fi
DIR=$(cd "$DIR" && pwd)
chmod 700 "$DIR"
mkdir -p "$DIR/logs" "$DIR/run"
SOCK="$DIR/run/mysqld.sock"
[ "${#SOCK}" -lt 100 ] || die "socket path too long (${#SOCK} bytes, unix limit 107): use a shorter INSTANCE_DIR"

log "instance dir $DIR, base URL $BASE_URL"

# If anything below fails, stop what we started so nothing is left running.
cleanup_on_error() {
    local rc=$?
    if [ $rc -ne 0 ]; then
        log "start failed (rc=$rc); stopping what was started; logs are in $DIR/logs"
        "$(dirname "$0")/stop-wordpress.sh" --keep "$DIR" >&2 || true
    fi
}
trap cleanup_on_error EXIT

# ---------------------------------------------------------------------------------------------
# 2. Private MariaDB: throwaway data dir, socket only, no config files read (--no-defaults).
#    root@localhost gets an empty password ("normal" auth) - fine for a 0700 private socket, and it
#    works whether or not we run as OS user root (unix_socket auth would tie it to the OS user).
#    mariadb-install-db takes 0.6-1.8 s here, so its result is kept once as a template
#    (/tmp/wp-mariadb-template-<version>, 25 MB) and copied for each instance (~0.1 s).
#    WP_DB_TEMPLATE=0 disables the template; WP_DB_TEMPLATE=/some/dir puts it elsewhere.
# ---------------------------------------------------------------------------------------------
USER_OPT=(); [ "$(id -u)" = 0 ] && USER_OPT=(--user=root)   # mariadbd refuses to run as root without it
DB_OPTS=(--innodb-log-file-size=8M --innodb-buffer-pool-size=32M)   # 26 MB data dir instead of 114 MB
init_datadir() {   # init_datadir TARGET: a fresh, empty MariaDB data dir
    mariadb-install-db --no-defaults "${USER_OPT[@]}" --datadir="$1" \
        --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve "${DB_OPTS[@]}" \
        >"$DIR/logs/mariadb-install-db.log" 2>&1
}
INITDB_FAILED="mariadb-install-db failed, see $DIR/logs/mariadb-install-db.log"
TEMPLATE="${WP_DB_TEMPLATE:-/tmp/wp-mariadb-template-$(mariadbd --version | awk '{print $3}')-$(id -u)}"
if [ "$TEMPLATE" = 0 ]; then
    log "mariadb-install-db"
    init_datadir "$DIR/mysql" || die "$INITDB_FAILED"
else
    if [ ! -f "$TEMPLATE/.complete" ]; then
        log "mariadb-install-db (creating template $TEMPLATE)"
        tmp=$(mktemp -d "$TEMPLATE.tmp.XXXXXX")
        init_datadir "$tmp/data" || { rm -rf "$tmp"; die "$INITDB_FAILED"; }
        touch "$tmp/data/.complete"
        mv -T "$tmp/data" "$TEMPLATE" 2>/dev/null || true   # atomic; if a parallel run won the race, use its copy
        rm -rf "$tmp"
    fi
    log "copying MariaDB data dir template"
    cp -a "$TEMPLATE" "$DIR/mysql" && rm -f "$DIR/mysql/.complete"
fi

NET_OPTS=(--skip-networking)
[ -n "${WP_DB_PORT:-}" ] && NET_OPTS=(--bind-address=127.0.0.1 --port="$WP_DB_PORT")
log "starting mariadbd"
# setsid: own session/process group, detached from the caller's terminal; stdin/stdout/stderr are
# redirected so a caller that captures our output (subprocess.run(capture_output=True)) never hangs.
# The child writes its own PID ($$ of the sh that then execs mariadbd), so the recorded PID is
# right even if setsid has to fork (it does when the caller runs us under job control).
setsid sh -c 'echo $$ >"$0"; exec "$@"' "$DIR/run/mariadbd.pid" \
    mariadbd --no-defaults "${USER_OPT[@]}" --datadir="$DIR/mysql" --socket="$SOCK" \
    --pid-file="$DIR/run/mysqld.pid" --log-error="$DIR/logs/mariadb.err" "${NET_OPTS[@]}" \
    --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    "${DB_OPTS[@]}" --innodb-flush-log-at-trx-commit=2 \
    </dev/null >"$DIR/logs/mariadb.out" 2>&1 &
wait_pidfile() { for _ in $(seq 1 50); do [ -s "$1" ] && return 0; sleep 0.1; done; die "no PID in $1"; }
wait_pidfile "$DIR/run/mariadbd.pid"
for _ in $(seq 1 $((TIMEOUT * 10))); do
    mariadb-admin --no-defaults --socket="$SOCK" -uroot ping >/dev/null 2>&1 && break
    alive "$(cat "$DIR/run/mariadbd.pid")" || die "mariadbd exited, see $DIR/logs/mariadb.err"
    sleep 0.1
done
mariadb-admin --no-defaults --socket="$SOCK" -uroot ping >/dev/null 2>&1 || die "mariadbd not ready after ${TIMEOUT}s"

DB_PASS=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
mariadb --no-defaults --socket="$SOCK" -uroot <<SQL
CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'wordpress'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL PRIVILEGES ON wordpress.* TO 'wordpress'@'localhost';
SQL

# ---------------------------------------------------------------------------------------------
# 3. Private WordPress tree.
#    * -L (dereference) matters: Debian's tree contains RELATIVE symlinks (wp-includes/ID3/* ->
#      ../../../php/getid3/*, wp-includes/js/underscore.js -> ../../../javascript/...) that a plain
#      "cp -a" to another place would leave dangling. Symlinking the whole tree does not work either:
#      PHP resolves symlinks in __FILE__, so wp-load.php would find Debian's wp-config.php again.
#    * wp-admin/ and wp-includes/ (read-only core, ~57 MB) are HARD-LINKED when /tmp and /usr are on
#      the same filesystem (~0.2 s instead of ~1.3 s for a full copy); never edit files in them in
#      place, that would edit /usr/share/wordpress too. WP_COPY_MODE=copy forces a real copy.
#    * top-level files and wp-content/ are real copies: we write wp-config.php, mu-plugins, uploads.
#    Our own wp-config.php replaces Debian's (which would look for /etc/wordpress/config-<Host>.php
#    and put uploads in /var/lib/wordpress/wp-content, which php -S would not serve).
# ---------------------------------------------------------------------------------------------
log "preparing WordPress tree from $WP_SRC"
mkdir -p "$DIR/htdocs"
find "$WP_SRC" -maxdepth 1 -type f -exec cp -L {} "$DIR/htdocs/" \;   # skips the .htaccess symlink
cp -rL "$WP_SRC/wp-content" "$DIR/htdocs/"
if [ "${WP_COPY_MODE:-link}" = copy ] || ! cp -rlL "$WP_SRC/wp-admin" "$WP_SRC/wp-includes" "$DIR/htdocs/" 2>/dev/null; then
    rm -rf "$DIR/htdocs/wp-admin" "$DIR/htdocs/wp-includes"    # drop any partial hard-link tree first
    cp -rL "$WP_SRC/wp-admin" "$WP_SRC/wp-includes" "$DIR/htdocs/"
fi
rm -f "$DIR/htdocs/wp-config.php"                                 # Debian's dispatcher; ours follows
mkdir -p "$DIR/htdocs/wp-content/uploads" "$DIR/htdocs/wp-content/mu-plugins"

salt() { head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' ; }
cat >"$DIR/htdocs/wp-config.php" <<PHP
<?php
// Generated by start-wordpress.sh for a throwaway test instance.
define('DB_NAME', 'wordpress');
define('DB_USER', 'wordpress');
define('DB_PASSWORD', '$DB_PASS');
define('DB_HOST', 'localhost:$SOCK');      // "localhost:/path/to/socket" = unix socket
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
\$table_prefix = 'wp_';

define('AUTH_KEY', '$(salt)');        define('SECURE_AUTH_KEY', '$(salt)');
define('LOGGED_IN_KEY', '$(salt)');   define('NONCE_KEY', '$(salt)');
define('AUTH_SALT', '$(salt)');       define('SECURE_AUTH_SALT', '$(salt)');
define('LOGGED_IN_SALT', '$(salt)');  define('NONCE_SALT', '$(salt)');

// Fixed URLs: wp_install() from the CLI would otherwise guess them from \$_SERVER.
define('WP_HOME', '$BASE_URL');
define('WP_SITEURL', '$BASE_URL');

// Application Passwords need is_ssl() OR environment type 'local' (wp_is_application_passwords_supported()).
define('WP_ENVIRONMENT_TYPE', 'local');

// No background work that would phone home or block the single-threaded built-in server:
define('DISABLE_WP_CRON', true);           // else the first page view spawns wp-cron.php -> update checks -> ~20 s stall
define('WP_HTTP_BLOCK_EXTERNAL', true);    // outbound HTTP only to this host
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);

define('WP_DEBUG', false);
define('WP_DEBUG_LOG', false);
define('WP_DEBUG_DISPLAY', false);         // never let PHP notices corrupt JSON responses

if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
PHP

# Must-use plugin: test-instance tweaks that need WordPress hooks.
cat >"$DIR/htdocs/wp-content/mu-plugins/test-instance.php" <<'PHP'
<?php
// There is no sendmail here: make wp_mail() a silent no-op instead of a "sendmail: not found" error.
add_filter('pre_wp_mail', '__return_false');
PHP

# Router for php -S: existing files (static assets, uploads, wp-admin/*.php) are served as-is,
# everything else goes to index.php, like Apache's WordPress .htaccess rewrite rules.
cat >"$DIR/router.php" <<'PHP'
<?php
$path = urldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));
if ($path !== '/' && file_exists($_SERVER['DOCUMENT_ROOT'] . $path)) {
    return false;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $_SERVER['DOCUMENT_ROOT'] . '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
PHP

# ---------------------------------------------------------------------------------------------
# 4. Non-interactive install with PHP CLI: wp_install(), pretty permalinks, Application Password.
# ---------------------------------------------------------------------------------------------
ADMIN_PASS="${WP_ADMIN_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}"
cat >"$DIR/install.php" <<'PHP'
<?php
// php install.php DOCROOT TITLE USER EMAIL PASSWORD OUTFILE
list(, $docroot, $title, $user, $email, $pass, $out) = $argv;
define('WP_INSTALLING', true);                 // else wp-settings.php redirects to wp-admin/install.php
$_SERVER['HTTP_HOST'] = '127.0.0.1';        // WordPress reads it; not set under the CLI
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
require $docroot . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

// wp_install() probes pretty permalinks with an HTTP request to the (not yet running) site;
// refuse all HTTP during install so it is deterministic, then set the structure ourselves.
add_filter('pre_http_request', function () { return new WP_Error('http_blocked', 'no HTTP during install'); });

$result = wp_install($title, $user, $email, false /* not public */, '', $pass);

// /wp-json/... routes only work with a permalink structure; with plain permalinks only ?rest_route=/ works.
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%postname%/');
$wp_rewrite->flush_rules(false);               // false: do not try to write .htaccess

$u = get_user_by('login', $user);
if (!wp_is_application_passwords_available_for_user($u)) {
    fwrite(STDERR, "Application Passwords not available (need https or WP_ENVIRONMENT_TYPE=local)\n");
    exit(1);
}
$app = WP_Application_Passwords::create_new_application_password($u->ID, array('name' => 'integration-tests'));
if (is_wp_error($app)) { fwrite(STDERR, $app->get_error_message() . "\n"); exit(1); }
file_put_contents($out, json_encode(array(
    'url' => $result['url'], 'user_id' => $u->ID, 'app_password' => $app[0], 'app_uuid' => $app[1]['uuid'],
)));
PHP
log "wp_install()"
php -d display_errors=stderr "$DIR/install.php" "$DIR/htdocs" "$TITLE" "$ADMIN_USER" "$ADMIN_EMAIL" \
    "$ADMIN_PASS" "$DIR/run/install.json" >"$DIR/logs/install.log" 2>&1 \
    || { cat "$DIR/logs/install.log" >&2; die "WordPress install failed"; }
APP_PASS=$(php -r 'echo json_decode(file_get_contents($argv[1]))->app_password;' "$DIR/run/install.json")

# ---------------------------------------------------------------------------------------------
# 5. PHP's built-in web server. PHP_CLI_SERVER_WORKERS>1 lets it serve requests in parallel
#    (one worker = one request at a time). Upload limits raised: Debian's CLI php.ini has
#    upload_max_filesize=2M / post_max_size=8M, which break multipart media uploads. OPcache (off for
#    the CLI by default) takes ~10 ms off each request.
# ---------------------------------------------------------------------------------------------
log "starting php -S 127.0.0.1:$PORT (workers=$WORKERS)"
PHP_CLI_SERVER_WORKERS="$WORKERS" setsid sh -c 'echo $$ >"$0"; exec "$@"' "$DIR/run/php-server.pid" php \
    -d display_errors=0 -d log_errors=1 -d error_log="$DIR/logs/php-error.log" \
    -d upload_max_filesize=64M -d post_max_size=64M -d memory_limit=256M -d opcache.enable_cli=1 \
    -S "127.0.0.1:$PORT" -t "$DIR/htdocs" "$DIR/router.php" \
    </dev/null >"$DIR/logs/php-server.log" 2>&1 &
wait_pidfile "$DIR/run/php-server.pid"

for _ in $(seq 1 $((TIMEOUT * 10))); do
    code=$(http_status "$BASE_URL/wp-json/")
    [ "$code" = 200 ] && break
    alive "$(cat "$DIR/run/php-server.pid")" || die "php -S exited, see $DIR/logs/php-server.log"
    sleep 0.1
done
[ "$code" = 200 ] || die "REST API not answering at $BASE_URL/wp-json/ (last HTTP code $code)"
# One authenticated call proves the Application Password works end to end.
code=$(WP_PROBE_AUTH="$ADMIN_USER:$APP_PASS" http_status "$BASE_URL/wp-json/wp/v2/users/me")
[ "$code" = 200 ] || die "authenticated REST call failed (HTTP $code)"

cat >"$DIR/wordpress.env" <<ENV
WP_BASE_URL=$BASE_URL
WP_API_URL=$BASE_URL/wp-json/wp/v2
WP_USER=$ADMIN_USER
WP_APP_PASSWORD=$APP_PASS
WP_ADMIN_PASSWORD=$ADMIN_PASS
WP_INSTANCE_DIR=$DIR
WP_DB_SOCKET=$SOCK
WP_PHP_PID=$(cat "$DIR/run/php-server.pid")
WP_MARIADB_PID=$(cat "$DIR/run/mariadbd.pid")
ENV
chmod 600 "$DIR/wordpress.env"
trap - EXIT
log "ready in $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s"
cat "$DIR/wordpress.env"
