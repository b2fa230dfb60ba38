# The JET applicant bot. Build:  docker build -t jetbot .
# Run (SQLite on a volume):       docker run -e TELEGRAM_BOT_TOKEN=... -v jetbot-data:/data jetbot
# See docker-compose.yml for SQLite and PostgreSQL set-ups.

FROM python:3.11-slim AS build
WORKDIR /src
# The exact versions first, in a layer of their own, so that a code change does not
# download them again. The lock's last line (".", the project) comes after the code.
COPY requirements.txt ./
RUN python -m venv /venv \
    && /venv/bin/pip install --no-cache-dir --upgrade pip \
    && sed -i '/^\.$/d' requirements.txt \
    && /venv/bin/pip install --no-cache-dir -r requirements.txt
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
RUN /venv/bin/pip install --no-cache-dir --no-deps .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 jetbot \
    && mkdir /data \
    && chown jetbot:jetbot /data
COPY --from=build /venv /venv
COPY knowledge /app/knowledge
WORKDIR /app
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    JETBOT_DATABASE=/data/jetbot.sqlite3 \
    JETBOT_KNOWLEDGE=/app/knowledge \
    PORT=8080
USER jetbot
VOLUME ["/data"]
EXPOSE 8080
# Healthy when the database answers, the knowledge base loads and the sender beats.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["jetbot", "health"]
# Long polling; for a webhook: CMD ["jetbot", "run", "--webhook"]
CMD ["jetbot", "run"]
