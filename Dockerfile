# hookbridge in a container: a static binary on a distroless base, running
# as a non-root user, its data in the /data volume.
#
#   docker build -t hookbridge .
#   docker run -p 8080:8080 -v hookbridge-data:/data \
#     -e HOOKBRIDGE_SECRET_KEY="$(openssl rand -base64 32)" hookbridge
#
# See docs/deployment.md.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Pure Go (the SQLite driver included): no C library is needed at run time.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/hookbridge ./cmd/hookbridge \
 && mkdir -p /out/data

# distroless/static has CA certificates (deliveries go out over HTTPS) and
# time zone data, and no shell; :nonroot runs as uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hookbridge /usr/local/bin/hookbridge
COPY --from=build --chown=65532:65532 /out/data /data
ENV HOOKBRIDGE_DATA_DIR=/data \
    HOOKBRIDGE_ADDR=0.0.0.0:8080 \
    HOOKBRIDGE_LOG_FORMAT=json
VOLUME /data
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/hookbridge"]
CMD ["serve"]
