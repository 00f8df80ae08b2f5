"""
gunicorn's configuration for the web service (docker-compose.yml).

The worker class and counts are on the command line in docker-compose.yml
(``-k gthread -w 2 --threads 4``); what depends on the place it runs comes from
the environment.
"""

import os

# Inside the container every interface; the topology test binds to loopback.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Requests that take longer are cut off (imports run on the Celery worker).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
# Heartbeat files in memory: container file systems can stall on disk writes.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The reverse proxy in front of the container sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Restart workers now and then, so that a slow leak never grows large.
max_requests = 2000
max_requests_jitter = 200
# No control socket: nothing uses it, and the image's home folder is read-only.
control_socket_disable = True
