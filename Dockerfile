# One image for every role of the production-like stack in docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORTAL_VAR_DIR=/var/lib/portal

WORKDIR /app
COPY pyproject.toml README.md ./
COPY portal ./portal
COPY dids ./dids
COPY e911 ./e911
COPY messaging ./messaging
COPY porting ./porting
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input -v 0

RUN useradd --system --home /app portal && mkdir -p /var/lib/portal && chown portal /var/lib/portal
USER portal
EXPOSE 8000
# --timeout above VI_REQUEST_DEADLINE (90 s: all of one page's calls to VI), so a slow VI
# ends a page with a plain message instead of gunicorn killing the worker mid-request.
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--timeout", "120"]
