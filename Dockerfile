# syntax=docker/dockerfile:1
#
# A small image with narrate and espeak-ng, for Kubernetes (see
# `narrate k8s-job`) or plain `docker run`:
#
#   docker build -t narrate .
#   docker run --rm -v "$PWD:/work" -w /work narrate render book.txt -o out/
#
# Build arguments:
#   BUILD_TAGS      Go build tags; narrate_cloud (the default) adds gs:// and
#                   azblob:// to s3:// for the span cache and the output.
#                   --build-arg BUILD_TAGS= gives an S3-only binary of
#                   about 20 MB instead of 50 MB that builds a minute faster.
#   EXTRA_PACKAGES  more Debian packages, e.g. "ffmpeg" for --m4b or "flite".
#   VERSION         what `narrate version` prints.

FROM golang:1.26-bookworm AS build
# libmp3lame-dev: the MP3 encoder is linked through cgo; libespeak-ng-dev:
# the header of libespeak-ng, which narrate loads at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmp3lame-dev libespeak-ng-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Modules first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG BUILD_TAGS=narrate_cloud
ARG VERSION=docker
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 go build -trimpath -tags "$BUILD_TAGS" \
      -ldflags "-s -w -X main.version=$VERSION" \
      -o /out/narrate ./cmd/narrate

FROM debian:bookworm-slim
# espeak-ng: the default voice; libmp3lame0: the encoder's runtime library;
# ca-certificates: TLS to object storage and cloud TTS APIs; wget: fetches
# the book in the init container of `narrate k8s-job --book-url`.
ARG EXTRA_PACKAGES=""
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      espeak-ng libmp3lame0 ca-certificates wget $EXTRA_PACKAGES \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 narrate \
 && useradd --uid 10001 --gid 10001 --create-home --home-dir /home/narrate \
      --shell /usr/sbin/nologin narrate
COPY --from=build /out/narrate /usr/local/bin/narrate
# A numeric user, so that Kubernetes can check runAsNonRoot; the manifests
# of `narrate k8s-job` run as this uid.
USER 10001:10001
WORKDIR /home/narrate
ENTRYPOINT ["narrate"]
CMD ["--help"]
