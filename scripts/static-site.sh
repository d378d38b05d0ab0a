#!/usr/bin/env bash
# Serves static-site/public on :8080 in the foreground with Debian's nginx (installed if missing), from a
# config generated under .run/static-site/ — the same page the static-site image serves.
# SHOP_STATIC_PORT changes the port; the gateway's Gateway:AllowedOrigins must then allow the new origin.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
port="${SHOP_STATIC_PORT:-8080}"

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "[static-site] installing nginx"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

run_dir="$root/.run/static-site"
mkdir -p "$run_dir/tmp"
cat >"$run_dir/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $run_dir/nginx.pid;
error_log stderr warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path $run_dir/tmp/body;
    proxy_temp_path $run_dir/tmp/proxy;
    fastcgi_temp_path $run_dir/tmp/fastcgi;
    uwsgi_temp_path $run_dir/tmp/uwsgi;
    scgi_temp_path $run_dir/tmp/scgi;
    server {
        listen $port;
        root $root/static-site/public;
        index index.html;
        server_tokens off;
        add_header X-Content-Type-Options nosniff always;
        location = /health { default_type text/plain; return 200 "ok\n"; }
        location = /index.html { add_header Cache-Control "no-cache" always; add_header X-Content-Type-Options nosniff always; }
        location = /config.js { add_header Cache-Control "no-cache" always; add_header X-Content-Type-Options nosniff always; }
        location / { try_files \$uri \$uri/ =404; }
    }
}
CONF
echo "[static-site] serving $root/static-site/public on http://localhost:$port"
exec "$nginx_bin" -c "$run_dir/nginx.conf" -e stderr
