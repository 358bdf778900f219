# One image for both the API (default command) and the arq worker (`ipdir worker`).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY pyproject.toml README.md schema.graphql ./
COPY directory/ directory/
COPY worker/ worker/
RUN pip install --no-cache-dir .

# Run unprivileged; the app only needs to read /app.
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin app
USER app

EXPOSE 8000
CMD ["ipdir", "serve", "--host", "0.0.0.0", "--port", "8000"]
