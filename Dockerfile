FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 SKIP_SYSTEM_PACKAGES=1
# GDAL/GEOS/PROJ for GeoDjango, psql for pg_isready, Chromium for the browser tests.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gdal-bin libgdal32 postgresql-client chromium \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN python -m venv .venv \
 && .venv/bin/pip install --no-cache-dir -r requirements.txt \
 && sha256sum requirements.txt | cut -d' ' -f1 > .venv/.requirements.sha
COPY . .
EXPOSE 8000
CMD ["bin/docker-start"]
