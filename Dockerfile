# syntax=docker/dockerfile:1
# The medshare image: the `medshare` CLI, the stream processors and Airflow 3 with dbt, from the
# one locked environment (requirements.lock). docker-compose.yml runs every service from it.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# dependencies first: this layer is rebuilt only when the lock changes
COPY requirements.lock ./
RUN pip install -r requirements.lock
# then the project itself, without re-resolving anything
COPY . .
RUN pip install --no-deps . \
 && mkdir -p /opt/medshare \
 && for d in dags transforms; do if [ -d "$d" ]; then cp -r "$d" /opt/medshare/; fi; done

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MEDSHARE_HOME=/var/lib/medshare \
    MEDSHARE_CACHE=/var/lib/medshare/cache \
    AIRFLOW_HOME=/opt/airflow \
    DO_NOT_TRACK=1
# a fixed non-root uid; named volumes mounted on these folders start with this ownership
RUN groupadd --system --gid 10001 medshare \
 && useradd --system --uid 10001 --gid medshare --home-dir /var/lib/medshare --shell /usr/sbin/nologin medshare \
 && install -d -o medshare -g medshare -m 0700 /var/lib/medshare \
 && install -d -o medshare -g medshare -m 0755 /opt/airflow /opt/airflow/dags /opt/airflow/logs \
 && install -d -o medshare -g medshare -m 0700 /opt/airflow/auth
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/medshare /opt/medshare
WORKDIR /opt/medshare
USER medshare
ENTRYPOINT ["medshare"]
CMD ["--help"]
