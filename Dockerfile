# The image of the web, worker and beat services (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # The code runs from /app (templates and static files sit beside it).
    PYTHONPATH=/app

WORKDIR /app

# Dependencies first, so that a change to the code reuses this layer: install
# the project's requirements from pyproject.toml, not the project itself.
COPY pyproject.toml README.md ./
RUN mkdir -p npc legislation consultation \
    && pip install . \
    && pip uninstall -y npc-legislation

COPY . .
# Static files go into the image, hashed and compressed; whitenoise serves them.
RUN DJANGO_SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home-dir /app app \
    && mkdir -p /app/media \
    && chown app /app/media

USER app
EXPOSE 8000
CMD ["gunicorn", "npc.wsgi:application", "--config", "gunicorn.conf.py", "-k", "gthread", "-w", "2", "--threads", "4"]
