# The SMS Reports service image (external mode: point it at Kafka and a schema registry).
#   docker build -t sms-reports .
# docker-compose.yml builds and runs it next to Kafka and a Confluent Schema Registry.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY sms-events-schema/pom.xml sms-events-schema/
COPY stream-processor/pom.xml stream-processor/
COPY query-api/pom.xml query-api/
RUN mvn -B -q dependency:go-offline -DexcludeGroupIds=io.smsreports || true
COPY . .
RUN mvn -B -q -DskipTests -Dmaven.test.skip=true package -pl query-api -am

FROM eclipse-temurin:17-jre
RUN useradd --system --home /var/lib/sms-reports sms-reports && mkdir -p /var/lib/sms-reports && chown sms-reports /var/lib/sms-reports
WORKDIR /opt/sms-reports
COPY --from=build /src/query-api/target/sms-reports.jar ./
COPY --from=build /src/query-api/target/lib ./lib
USER sms-reports
ENV SMS_STATE_DIR=/var/lib/sms-reports/streams \
    SMS_DATA_DIR=/var/lib/sms-reports \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+UseG1GC"
VOLUME /var/lib/sms-reports
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '200' <&3"]
ENTRYPOINT ["java", "-jar", "/opt/sms-reports/sms-reports.jar"]
